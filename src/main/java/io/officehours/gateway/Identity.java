package io.officehours.gateway;

import io.officehours.common.Role;

/** Who a verified token says the client is. */
public record Identity(String userId, Role role) {}
