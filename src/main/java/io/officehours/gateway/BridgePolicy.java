package io.officehours.gateway;

import io.officehours.admin.AdminAddresses;
import io.officehours.chat.ChatAddresses;
import io.officehours.common.Role;
import io.officehours.presence.PresenceAddresses;
import io.officehours.push.InboxAddresses;
import io.officehours.roster.RosterAddresses;
import io.officehours.status.StatusAddresses;
import java.util.Set;

/**
 * Which addresses a client may use, built from each capability's address constants. Requests
 * are open to every authenticated client here; the service behind an address checks the role
 * and the chat membership itself, from the caller the gateway attaches, and answers 403 in its own
 * words; the operators' addresses are refused here already to anyone but an admin, so a probe of
 * them never reaches a service. Clients never publish.
 */
final class BridgePolicy {

  static final Set<String> REQUESTS = Set.of(
      RosterAddresses.READY, RosterAddresses.CLAIM, RosterAddresses.ME,
      ChatAddresses.SEND, ChatAddresses.END, ChatAddresses.HISTORY);

  static final Set<String> ADMIN_REQUESTS = Set.of(AdminAddresses.SEND);

  static final Set<String> STAFF_TOPICS = Set.of(StatusAddresses.TOPIC, PresenceAddresses.TOPIC);

  static final Set<String> ADMIN_TOPICS = Set.of(AdminAddresses.TAP);

  private BridgePolicy() {}

  /** Null when {@code who} may send to the address, else why not, in plain words. */
  static String sendRefusal(Identity who, String address) {
    if (REQUESTS.contains(address)) return null;
    if (ADMIN_REQUESTS.contains(address)) return who.role() == Role.ADMIN ? null : "only admins may use " + address;
    return "access denied: " + address;
  }

  /** Null when allowed, else why not, in plain words. */
  static String registerRefusal(Identity who, String address) {
    if (address.startsWith(InboxAddresses.INBOX_PREFIX)) {
      return address.equals(InboxAddresses.inbox(who.userId())) ? null : "you may only register your own inbox";
    }
    if (STAFF_TOPICS.contains(address)) {
      return who.role() == Role.TEACHER || who.role() == Role.ADMIN ? null : "only teachers and admins may register " + address;
    }
    if (ADMIN_TOPICS.contains(address)) {
      return who.role() == Role.ADMIN ? null : "only admins may register " + address;
    }
    return "access denied: " + address;
  }
}
