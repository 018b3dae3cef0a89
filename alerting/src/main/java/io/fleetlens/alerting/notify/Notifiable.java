package io.fleetlens.alerting.notify;

import io.fleetlens.alerting.evaluation.ActiveAlert;
import io.fleetlens.core.access.Scope;

/**
 * A firing or resolved alert on its way to receivers, with the link back to the expression behind it
 * and the owner of its rule group.
 */
public record Notifiable(ActiveAlert alert, String generatorUrl, Scope owner) {
}
