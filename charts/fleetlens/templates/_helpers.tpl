{{/* The release's base name, cut to what a Kubernetes name may hold. */}}
{{- define "fleetlens.fullname" -}}
{{- if .Values.fullnameOverride -}}
{{- .Values.fullnameOverride | trunc 50 | trimSuffix "-" -}}
{{- else -}}
{{- $name := default .Chart.Name .Values.nameOverride -}}
{{- if contains $name .Release.Name -}}
{{- .Release.Name | trunc 50 | trimSuffix "-" -}}
{{- else -}}
{{- printf "%s-%s" .Release.Name $name | trunc 50 | trimSuffix "-" -}}
{{- end -}}
{{- end -}}
{{- end -}}

{{/* The labels every object carries; call with (dict "root" $ "component" "collector"). */}}
{{- define "fleetlens.labels" -}}
helm.sh/chart: {{ printf "%s-%s" .root.Chart.Name .root.Chart.Version | replace "+" "_" }}
{{ include "fleetlens.selectorLabels" . }}
app.kubernetes.io/version: {{ .root.Chart.AppVersion | quote }}
app.kubernetes.io/managed-by: {{ .root.Release.Service }}
app.kubernetes.io/part-of: fleetlens
{{- end -}}

{{/* The labels selectors use: stable across upgrades. */}}
{{- define "fleetlens.selectorLabels" -}}
app.kubernetes.io/name: {{ default .root.Chart.Name .root.Values.nameOverride }}
app.kubernetes.io/instance: {{ .root.Release.Name }}
app.kubernetes.io/component: {{ .component }}
{{- end -}}

{{/* An app's image; call with (dict "root" $ "image" .Values.collector.image). */}}
{{- define "fleetlens.image" -}}
{{- $tag := default .root.Chart.AppVersion .root.Values.image.tag -}}
{{- if .root.Values.image.registry -}}
{{- printf "%s/%s:%s" .root.Values.image.registry .image.repository $tag -}}
{{- else -}}
{{- printf "%s:%s" .image.repository $tag -}}
{{- end -}}
{{- end -}}

{{/* The security context of the backend containers: a non-root user, nothing more. */}}
{{- define "fleetlens.restrictedContainer" -}}
allowPrivilegeEscalation: false
readOnlyRootFilesystem: true
runAsNonRoot: true
runAsUser: 10001
runAsGroup: 10001
capabilities:
  drop: [ALL]
seccompProfile:
  type: RuntimeDefault
{{- end -}}

{{- define "fleetlens.pullSecrets" -}}
{{- with .Values.image.pullSecrets }}
imagePullSecrets:
{{- range . }}
  - name: {{ . }}
{{- end }}
{{- end }}
{{- end -}}

{{/* The query API's in-cluster URL. */}}
{{- define "fleetlens.queryApiUrl" -}}
{{- printf "http://%s-query-api.%s.svc:%v" (include "fleetlens.fullname" .) .Release.Namespace .Values.queryApi.service.port -}}
{{- end -}}

{{/* One egress rule: TCP to these ports, at these peers (anywhere when none). */}}
{{- define "fleetlens.egressTo" -}}
- ports:
  {{- range .ports }}
    - {protocol: TCP, port: {{ . }}}
  {{- end }}
  {{- with .peers }}
  to:
    {{- toYaml . | nindent 4 }}
  {{- end }}
{{- end -}}
