package io.fleetlens.alerting.notify;

import io.fleetlens.alerting.evaluation.ActiveAlert;

/** A firing or resolved alert on its way to receivers, with the link back to the expression behind it. */
public record Notifiable(ActiveAlert alert, String generatorUrl) {
}
