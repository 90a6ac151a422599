{{/* SPDX-License-Identifier: Apache-2.0 */}}
{{- define "atlas-metacontroller.fullname" -}}
{{- if contains .Chart.Name .Release.Name -}}{{ .Release.Name | trunc 63 | trimSuffix "-" }}{{- else -}}{{ printf "%s-%s" .Release.Name .Chart.Name | trunc 63 | trimSuffix "-" }}{{- end -}}
{{- end -}}

{{- define "atlas-metacontroller.labels" -}}
app.kubernetes.io/name: {{ .Chart.Name }}
app.kubernetes.io/instance: {{ .Release.Name }}
app.kubernetes.io/version: {{ .Chart.AppVersion | quote }}
app.kubernetes.io/managed-by: {{ .Release.Service }}
helm.sh/chart: {{ printf "%s-%s" .Chart.Name .Chart.Version }}
{{- end -}}

{{- define "atlas-metacontroller.selector" -}}
app.kubernetes.io/name: {{ .Chart.Name }}
app.kubernetes.io/instance: {{ .Release.Name }}
{{- end -}}

{{/* The Service host the controllers call, and the Secrets they read the CA and token from. */}}
{{- define "atlas-metacontroller.host" -}}
{{ include "atlas-metacontroller.fullname" . }}.{{ .Release.Namespace }}.svc
{{- end -}}

{{- define "atlas-metacontroller.tlsSecret" -}}
{{- if .Values.tls.certManager.enabled -}}{{ include "atlas-metacontroller.fullname" . }}-tls{{- else -}}{{ .Values.tls.existingSecret }}{{- end -}}
{{- end -}}

{{- define "atlas-metacontroller.tokenSecret" -}}
{{- if .Values.auth.token -}}{{ include "atlas-metacontroller.fullname" . }}-hook-token{{- else -}}{{ .Values.auth.existingSecret }}{{- end -}}
{{- end -}}

{{- define "atlas-metacontroller.endpointConfigs" -}}
endpointConfigs:
  - host: {{ include "atlas-metacontroller.host" . }}
    caBundle:
      secretRef: {name: {{ include "atlas-metacontroller.tlsSecret" . }}, namespace: {{ .Release.Namespace }}, key: ca.crt}
    authorization:
      secretRef: {name: {{ include "atlas-metacontroller.tokenSecret" . }}, namespace: {{ .Release.Namespace }}, key: token}
{{- end -}}

{{/* customize, sync and finalize, v2, at /hooks/<route>/<hook>, with the server's timeout. */}}
{{- define "atlas-metacontroller.hooks" -}}
{{- $root := index . 0 -}}{{- $route := index . 1 -}}
hooks:
{{- range $hook := list "customize" "sync" "finalize" }}
  {{ $hook }}:
    version: v2
    webhook:
      url: https://{{ include "atlas-metacontroller.host" $root }}/hooks/{{ $route }}/{{ $hook }}
      timeout: {{ $root.Values.hookTimeout }}
{{- end }}
{{- end -}}
