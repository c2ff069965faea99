package v1alpha1

import metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"

// GetConditions returns the Indicator's conditions.
func (o *Indicator) GetConditions() []metav1.Condition { return o.Status.Conditions }

// GetConditions returns the Measurement's conditions.
func (o *Measurement) GetConditions() []metav1.Condition { return o.Status.Conditions }

// GetConditions returns the Evidence's conditions.
func (o *Evidence) GetConditions() []metav1.Condition { return o.Status.Conditions }

// GetConditions returns the CooperationMechanism's conditions.
func (o *CooperationMechanism) GetConditions() []metav1.Condition { return o.Status.Conditions }

// GetConditions returns the ActionPlan's conditions.
func (o *ActionPlan) GetConditions() []metav1.Condition { return o.Status.Conditions }
