package io.officehours.store;

import com.hazelcast.map.EntryProcessor;
import com.hazelcast.nio.ObjectDataInput;
import com.hazelcast.nio.ObjectDataOutput;
import com.hazelcast.nio.serialization.IdentifiedDataSerializable;
import io.officehours.chat.ChatMessage;
import io.officehours.common.Failure;
import java.io.IOException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The lines of several chats, appended in one operation per partition: on the owner, then again on
 * the backup with the same inputs, so both logs stay equal. Its result per chat is the seq of each
 * of its lines, in order, or one failure code negated ({@code -404} no such chat, {@code -409}
 * ended). A line whose id the chat remembers is not stored again: it gets the seq it was given. It crosses to
 * the backup with every batch, so it writes itself field by field ({@link StoreSerialization})
 * rather than through Java serialization's class descriptors.
 */
final class AppendBatch implements EntryProcessor<String, ChatLog, long[]>, IdentifiedDataSerializable {

  /** {@code lineId} may be null: a line nobody will ask for again. */
  record Line(String from, String text, long ts, String lineId) {}

  private Map<String, List<Line>> lines;

  /** For Hazelcast, which reads the fields in afterwards. */
  AppendBatch() {}

  AppendBatch(Map<String, List<Line>> lines) {
    this.lines = lines;
  }

  @Override
  public long[] process(Map.Entry<String, ChatLog> entry) {
    ChatLog log = entry.getValue();
    if (log == null) return new long[] {-Failure.NOT_FOUND};
    if (!log.state.open()) return new long[] {-Failure.CONFLICT};
    List<Line> mine = lines.get(entry.getKey());
    long[] seqs = new long[mine.size()];
    long last = log.state.lastSeq();
    for (int i = 0; i < seqs.length; i++) {
      Line l = mine.get(i);
      Long given = log.seqOf(l.lineId());
      if (given != null) {
        seqs[i] = given;
        continue;
      }
      seqs[i] = ++last;
      log.lines.add(new ChatMessage(entry.getKey(), last, l.from(), l.text(), l.ts()));
      log.remember(l.lineId(), last);
    }
    log.state = log.state.withLastSeq(last);
    entry.setValue(log);
    return seqs;
  }

  @Override
  public void writeData(ObjectDataOutput out) throws IOException {
    out.writeInt(lines.size());
    for (Map.Entry<String, List<Line>> chat : lines.entrySet()) {
      out.writeString(chat.getKey());
      out.writeInt(chat.getValue().size());
      for (Line l : chat.getValue()) {
        out.writeString(l.from());
        out.writeString(l.text());
        out.writeLong(l.ts());
        out.writeString(l.lineId());
      }
    }
  }

  @Override
  public void readData(ObjectDataInput in) throws IOException {
    int chats = in.readInt();
    lines = new HashMap<>(chats * 2);
    for (int c = 0; c < chats; c++) {
      String chatId = in.readString();
      int n = in.readInt();
      List<Line> of = new ArrayList<>(n);
      for (int i = 0; i < n; i++) of.add(new Line(in.readString(), in.readString(), in.readLong(), in.readString()));
      lines.put(chatId, of);
    }
  }

  @Override
  public int getFactoryId() {
    return StoreSerialization.FACTORY_ID;
  }

  @Override
  public int getClassId() {
    return StoreSerialization.APPEND_BATCH;
  }
}
