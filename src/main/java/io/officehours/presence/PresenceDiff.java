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
