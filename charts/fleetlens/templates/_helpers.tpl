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

{{/* Kafka client security: the config key, the volume mount and the volume (each empty without kafka.clientSecret). */}}
{{- define "fleetlens.kafkaClientMount" -}}
{{- if .Values.kafka.clientSecret }}
- {name: kafka-client, mountPath: /var/run/secrets/fleetlens/kafka, readOnly: true}
{{- end }}
{{- end }}
{{- define "fleetlens.kafkaClientVolume" -}}
{{- if .Values.kafka.clientSecret }}
- name: kafka-client
  secret: {secretName: {{ .Values.kafka.clientSecret }}}
{{- end }}
{{- end }}

{{/* Elasticsearch credentials and trust: config keys as YAML, mount and volume (empty without elasticsearch.security.existingSecret). */}}
{{- define "fleetlens.elasticsearchSecurity" -}}
{{- $s := .Values.elasticsearch.security }}
{{- $dir := "/var/run/secrets/fleetlens/elasticsearch" }}
{{- $out := dict }}
{{- if $s.existingSecret }}
{{- if $s.username }}
{{- $_ := set $out "username" $s.username }}
{{- $_ := set $out "password-file" (printf "%s/%s" $dir $s.passwordKey) }}
{{- else if $s.apiKeyKey }}
{{- $_ := set $out "api-key-file" (printf "%s/%s" $dir $s.apiKeyKey) }}
{{- end }}
{{- if $s.caKey }}
{{- $_ := set $out "ca-file" (printf "%s/%s" $dir $s.caKey) }}
{{- end }}
{{- end }}
{{- toYaml $out }}
{{- end }}
{{- define "fleetlens.elasticsearchMount" -}}
{{- if .Values.elasticsearch.security.existingSecret }}
- {name: elasticsearch-credentials, mountPath: /var/run/secrets/fleetlens/elasticsearch, readOnly: true}
{{- end }}
{{- end }}
{{- define "fleetlens.elasticsearchVolume" -}}
{{- if .Values.elasticsearch.security.existingSecret }}
- name: elasticsearch-credentials
  secret: {secretName: {{ .Values.elasticsearch.security.existingSecret }}}
{{- end }}
{{- end }}
