{{/* The chart name, "concord" unless nameOverride says otherwise. */}}
{{- define "concord.name" -}}
{{- default .Chart.Name .Values.nameOverride | trunc 63 | trimSuffix "-" }}
{{- end }}

{{/* The prefix of namespaced resource names: "concord" for a release named concord. */}}
{{- define "concord.fullname" -}}
{{- if .Values.fullnameOverride }}
{{- .Values.fullnameOverride | trunc 63 | trimSuffix "-" }}
{{- else }}
{{- $name := default .Chart.Name .Values.nameOverride }}
{{- if contains $name .Release.Name }}
{{- .Release.Name | trunc 63 | trimSuffix "-" }}
{{- else }}
{{- printf "%s-%s" .Release.Name $name | trunc 63 | trimSuffix "-" }}
{{- end }}
{{- end }}
{{- end }}

{{/* The manager's name: Deployment, ClusterRole, bindings ("concord-manager"). */}}
{{- define "concord.manager" -}}
{{- printf "%s-manager" (include "concord.fullname" .) | trunc 63 | trimSuffix "-" }}
{{- end }}

{{- define "concord.serviceAccountName" -}}
{{- if .Values.serviceAccount.create }}
{{- default (include "concord.manager" .) .Values.serviceAccount.name }}
{{- else }}
{{- required "serviceAccount.name is required when serviceAccount.create is false" .Values.serviceAccount.name }}
{{- end }}
{{- end }}

{{- define "concord.chart" -}}
{{- printf "%s-%s" .Chart.Name .Chart.Version | replace "+" "_" | trunc 63 | trimSuffix "-" }}
{{- end }}

{{/* Labels of every object. */}}
{{- define "concord.labels" -}}
helm.sh/chart: {{ include "concord.chart" . }}
{{ include "concord.selectorLabels" . }}
app.kubernetes.io/version: {{ .Values.image.tag | default .Chart.AppVersion | quote }}
app.kubernetes.io/managed-by: {{ .Release.Service }}
app.kubernetes.io/part-of: concord
{{- end }}

{{/* Labels of the manager's Pods; name and component are those docs/security.md's NetworkPolicy selects. */}}
{{- define "concord.selectorLabels" -}}
app.kubernetes.io/name: {{ include "concord.name" . }}
app.kubernetes.io/instance: {{ .Release.Name }}
{{- end }}

{{- define "concord.managerSelectorLabels" -}}
{{ include "concord.selectorLabels" . }}
app.kubernetes.io/component: manager
{{- end }}

{{/* The ConfigMap holding the evidence CA bundle, empty when none is configured. */}}
{{- define "concord.evidenceCAConfigMap" -}}
{{- if .Values.evidence.caBundle.pem }}
{{- printf "%s-evidence-ca" (include "concord.fullname" .) | trunc 63 | trimSuffix "-" }}
{{- else if .Values.evidence.caBundle.existingConfigMap }}
{{- .Values.evidence.caBundle.existingConfigMap }}
{{- end }}
{{- end }}

{{/* Where the manager writes its leader-election lease. */}}
{{- define "concord.leaseNamespace" -}}
{{- default .Release.Namespace .Values.leaderElection.namespace }}
{{- end }}

{{/*
The leader-election lease: internal/manager.LeaseName. One installation's
managers share concord.concord.dev; a shard (namespaces set) has its own,
named by a hash of its sorted namespaces.
*/}}
{{- define "concord.leaseName" -}}
{{- if .Values.namespaces -}}
concord-{{ .Values.namespaces | sortAlpha | join "," | sha256sum | trunc 10 }}.concord.dev
{{- else -}}
concord.concord.dev
{{- end }}
{{- end }}
