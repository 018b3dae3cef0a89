package io.fleetlens.core.logs;

/** A query parameter that cannot be used as given; names the parameter and what is wrong. */
public class InvalidQueryException extends IllegalArgumentException {

  private static final long serialVersionUID = 1L;

  private final String parameter;

  public InvalidQueryException(String parameter, String problem) {
    super(parameter + ": " + problem);
    this.parameter = parameter;
  }

  public String parameter() {
    return parameter;
  }

  public String problem() {
    return getMessage().substring(parameter.length() + 2);
  }
}
