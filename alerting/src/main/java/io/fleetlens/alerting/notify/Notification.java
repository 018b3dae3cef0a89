package io.fleetlens.alerting.notify;

/** A notification decided and due to be sent: the receiver, the group, its sequence number and the body. */
public record Notification(String receiver, String groupId, String groupKey, long sequence, String payload) {
}
