package io.officehours.presence;

/** A change to the cluster's connections, as every node's replica applies it. */
public sealed interface PresenceEvent {
  String userId();

  String connectionRef();

  record Joined(String userId, String connectionRef, Meta meta) implements PresenceEvent {}

  record Updated(String userId, String connectionRef, Meta meta) implements PresenceEvent {}

  record Left(String userId, String connectionRef) implements PresenceEvent {}
}
