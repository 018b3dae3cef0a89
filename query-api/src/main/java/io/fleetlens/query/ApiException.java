package io.fleetlens.query;

/** A request the API answers with a status and a JSON error of its own: 404 not_found, 409 conflict... */
final class ApiException extends RuntimeException {

  private final int status;
  private final String error;

  ApiException(int status, String error, String message) {
    super(message);
    this.status = status;
    this.error = error;
  }

  static ApiException notFound(String message) {
    return new ApiException(404, "not_found", message);
  }

  static ApiException badRequest(String message) {
    return new ApiException(400, "bad_request", message);
  }

  int status() {
    return status;
  }

  String error() {
    return error;
  }
}
