package evidence

import (
	"testing"

	corev1 "k8s.io/api/core/v1"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"

	"github.com/concord-operator/concord/api/v1alpha1"
)

func TestObserveConfigMap(t *testing.T) {
	labelled := metav1.ObjectMeta{Name: "sop", Labels: map[string]string{Label: "true"}}
	cm := &corev1.ConfigMap{ObjectMeta: labelled, Data: map[string]string{"sop.txt": "hello"}, BinaryData: map[string][]byte{"sop.pdf": {0x25, 0x50, 0x44, 0x46}}}
	cases := map[string]struct {
		cm     *corev1.ConfigMap
		key    string
		digest string
		size   int64
		reason string
	}{
		"data":        {cm, "sop.txt", Digest([]byte("hello")), 5, ""},
		"binaryData":  {cm, "sop.pdf", Digest([]byte("%PDF")), 4, ""},
		"missing key": {cm, "other", "", 0, v1alpha1.ReasonSourceNotFound},
		"unlabelled":  {&corev1.ConfigMap{ObjectMeta: metav1.ObjectMeta{Name: "x"}, Data: map[string]string{"sop.txt": "hello"}}, "sop.txt", "", 0, v1alpha1.ReasonSourceNotFound},
	}
	for name, tc := range cases {
		obs := ObserveConfigMap(tc.cm, tc.key)
		if obs.Digest != tc.digest || obs.Size != tc.size || obs.FailReason != tc.reason {
			t.Errorf("%s: %+v", name, obs)
		}
	}
	if Digest([]byte("hello")) != "sha256:2cf24dba5fb0a30e26e83b2ac5b9e29e1b161e5c1fa7425e73043362938b9824" {
		t.Error("Digest is not sha256 in hex")
	}
}
