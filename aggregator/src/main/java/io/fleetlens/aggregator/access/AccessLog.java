package io.fleetlens.aggregator.access;

import java.util.Locale;
import java.util.Map;
import java.util.OptionalDouble;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * One HTTP request as an access-log line tells it: the status code, and how long it took when the
 * line says. Recognised: the common and combined log formats (Apache, nginx), ingress-nginx's
 * default format (combined, then request length and request time in seconds), and JSON lines
 * with a status field and a method, path or duration field beside it.
 */
public record AccessLog(int status, OptionalDouble seconds) {

  // host ident user [time] "METHOD target PROTOCOL" status bytes, then what each format adds
  private static final Pattern COMMON = Pattern.compile(
      "^\\S+ \\S+ \\S+ \\[[^\\]]+\\] \"([A-Z]+) [^\"]*\" (\\d{3}) (?:\\d+|-)(.*)$");
  // combined's "referer" "user agent", then ingress-nginx's request length and request time
  private static final Pattern INGRESS_NGINX_TAIL = Pattern.compile(
      "^ \"(?:[^\"\\\\]|\\\\.)*\" \"(?:[^\"\\\\]|\\\\.)*\" \\d+ (\\d+(?:\\.\\d+)?)(?: .*)?$");

  private static final Set<String> STATUS_KEYS = Set.of("status", "status_code", "statuscode", "http_status",
      "http.status", "http.status_code", "http.response.status_code", "response.status", "response.status_code",
      "response_code", "res.statuscode", "httprequest.status");
  private static final Set<String> REQUEST_KEYS = Set.of("method", "http_method", "request_method", "http.method",
      "http.request.method", "req.method", "httprequest.requestmethod", "path", "uri", "url", "request_uri",
      "http.url", "http.target", "url.path", "req.url", "request", "httprequest.requesturl");

  /** The request a log line records, or null when it is not an access-log line. */
  public static AccessLog parse(String message, Map<String, String> fields) {
    if (!fields.isEmpty()) {
      AccessLog fromJson = json(fields);
      if (fromJson != null) {
        return fromJson;
      }
    }
    return text(message);
  }

  private static AccessLog text(String message) {
    if (message.length() < 20 || message.charAt(0) == '{') {
      return null;
    }
    Matcher m = COMMON.matcher(message);
    if (!m.matches()) {
      return null;
    }
    int status = Integer.parseInt(m.group(2));
    Matcher tail = INGRESS_NGINX_TAIL.matcher(m.group(3));
    OptionalDouble seconds = tail.matches() ? OptionalDouble.of(Double.parseDouble(tail.group(1)))
        : OptionalDouble.empty();
    return status >= 100 && status <= 599 ? new AccessLog(status, seconds) : null;
  }

  private static AccessLog json(Map<String, String> fields) {
    Integer status = null;
    boolean request = false;
    OptionalDouble seconds = OptionalDouble.empty();
    for (Map.Entry<String, String> e : fields.entrySet()) {
      String key = e.getKey().toLowerCase(Locale.ROOT);
      if (status == null && STATUS_KEYS.contains(key)) {
        status = statusOf(e.getValue());
      } else if (REQUEST_KEYS.contains(key)) {
        request = true;
      } else if (seconds.isEmpty()) {
        seconds = Durations.seconds(key, e.getValue());
      }
    }
    if (status == null || !(request || seconds.isPresent())) {
      return null;
    }
    return new AccessLog(status, seconds);
  }

  private static Integer statusOf(String value) {
    try {
      int status = (int) Double.parseDouble(value.strip());
      return status >= 100 && status <= 599 ? status : null;
    } catch (NumberFormatException e) {
      return null;
    }
  }
}
