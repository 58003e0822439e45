package io.officehours.presence;

/** A change to the cluster's connections, as every node's replica applies it. */
public sealed interface PresenceEvent {
  String userId();

  String connectionRef();

  /** {@code owner} is the cluster id of the node that holds the connection. */
  record Joined(String userId, String connectionRef, Meta meta, String owner) implements PresenceEvent {}

  record Updated(String userId, String connectionRef, Meta meta) implements PresenceEvent {}

  record Left(String userId, String connectionRef) implements PresenceEvent {}
}
