package io.officehours.presence;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Joins and leaves by user, accumulated between two pushes. A meta that joins and leaves inside one
 * batch cancels out, so a connection that came and went between two pushes is never shown.
 */
public final class PresenceDiff {
  private final Map<String, List<Meta>> joins = new LinkedHashMap<>();
  private final Map<String, List<Meta>> leaves = new LinkedHashMap<>();

  public void join(String userId, Meta meta) {
    joins.computeIfAbsent(userId, u -> new ArrayList<>()).add(meta);
  }

  public void leave(String userId, Meta meta) {
    List<Meta> pending = joins.get(userId);
    if (pending != null && pending.removeIf(m -> m.ref().equals(meta.ref()))) {
      if (pending.isEmpty()) joins.remove(userId);
      return;
    }
    leaves.computeIfAbsent(userId, u -> new ArrayList<>()).add(meta);
  }

  public void addAll(PresenceDiff other) {
    other.joins.forEach((u, metas) -> metas.forEach(m -> join(u, m)));
    other.leaves.forEach((u, metas) -> metas.forEach(m -> leave(u, m)));
  }

  /**
   * The same changes as diffs of at most {@code maxUsers} users each, joins first: a node that
   * leaves with 10,000 users must not become one multi-megabyte frame that clients with frame
   * limits drop. Applying the parts in order gives the same result as the whole.
   */
  public java.util.List<PresenceDiff> split(int maxUsers) {
    java.util.List<PresenceDiff> parts = new ArrayList<>();
    PresenceDiff part = new PresenceDiff();
    int users = 0;
    for (Map.Entry<String, List<Meta>> e : joins.entrySet()) {
      if (users == maxUsers) {
        parts.add(part);
        part = new PresenceDiff();
        users = 0;
      }
      part.joins.put(e.getKey(), e.getValue());
      users++;
    }
    for (Map.Entry<String, List<Meta>> e : leaves.entrySet()) {
      if (users == maxUsers) {
        parts.add(part);
        part = new PresenceDiff();
        users = 0;
      }
      part.leaves.put(e.getKey(), e.getValue());
      users++;
    }
    if (!part.isEmpty()) parts.add(part);
    return parts;
  }

  public boolean isEmpty() {
    return joins.isEmpty() && leaves.isEmpty();
  }

  public Map<String, List<Meta>> joins() {
    return joins;
  }

  public Map<String, List<Meta>> leaves() {
    return leaves;
  }

  /** The contract's {@code presence.diff} body. */
  public JsonObject toJson() {
    return new JsonObject().put("type", "presence.diff").put("joins", byUser(joins)).put("leaves", byUser(leaves));
  }

  static JsonObject byUser(Map<String, ? extends Iterable<Meta>> metas) {
    JsonObject out = new JsonObject();
    metas.forEach((user, list) -> {
      JsonArray array = new JsonArray();
      list.forEach(m -> array.add(m.toJson()));
      out.put(user, new JsonObject().put("metas", array));
    });
    return out;
  }
}
