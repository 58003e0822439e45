package io.officehours.store;

import io.vertx.core.Future;
import io.vertx.redis.client.Command;
import io.vertx.redis.client.Redis;
import io.vertx.redis.client.Request;
import io.vertx.redis.client.Response;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;
import java.util.function.Function;

/**
 * The one Lua script behind every write and every history read of the {@link RedisChatStore}.
 * Redis runs a script alone, start to end, so "check the chat is open, take the next seq, store
 * the line" is one step that no other writer, on any node, can interleave with.
 *
 * <p>Called with {@code EVALSHA}; when Redis does not have the script (it keeps scripts in memory
 * only, so after every restart) the call is repeated once with {@code EVAL}, which also caches it.
 * A {@code NOSCRIPT} answer means nothing ran, so the retry never writes twice.
 *
 * <p>KEYS: epoch, lost, chat hash, chat log. ARGV: op, the epoch the caller knows ({@code ""} on
 * the first call), the lost-marker TTL in ms, then the op's arguments. The reply is
 * {@code {code, epoch, lostAt, ...}}: code 0 (done), 404, 409, or 500 (the log is out of step
 * with its counter); {@code epoch} is the dataset's current epoch and {@code lostAt} when Redis
 * was last found to have lost data (or nil).
 */
final class ChatScript {

  static final String SOURCE = """
      local EPOCH, LOST, CHAT, LOG = KEYS[1], KEYS[2], KEYS[3], KEYS[4]
      local op, known, lostTtl = ARGV[1], ARGV[2], ARGV[3]

      -- A dataset gets an epoch when it is first used. A caller that knew an epoch and finds none
      -- is looking at a Redis that lost its data: a new epoch starts and LOST records when.
      local epoch = redis.call('GET', EPOCH)
      if not epoch then
        local t = redis.call('TIME')
        epoch = t[1] .. '.' .. t[2]
        redis.call('SET', EPOCH, epoch)
        if known ~= '' then
          redis.call('SET', LOST, string.format('%d', t[1] * 1000 + math.floor(t[2] / 1000)), 'PX', lostTtl)
        end
      end
      local lost = redis.call('GET', LOST)

      if op == 'init' then return {0, epoch, lost} end

      if op == 'create' then
        if redis.call('EXISTS', CHAT) == 1 then return {409, epoch, lost} end
        redis.call('DEL', LOG)
        redis.call('HSET', CHAT, 'chatId', ARGV[4], 'teacherId', ARGV[5], 'studentId', ARGV[6],
          'startedAt', ARGV[7], 'state', 'open', 'lastSeq', '0')
        return {0, epoch, lost}
      end

      local chat = redis.call('HMGET', CHAT, 'chatId', 'teacherId', 'studentId', 'startedAt', 'state', 'lastSeq', 'endedBy', 'reason')
      if not chat[1] then return {404, epoch, lost} end

      if op == 'append' then
        if chat[5] ~= 'open' then return {409, epoch, lost} end
        -- a line asked for again under its id (its owner died before answering) keeps its first seq
        local lineId = ARGV[7]
        if lineId and lineId ~= '' then
          local given = redis.call('HGET', CHAT, 'id:' .. lineId)
          if given then return {0, epoch, lost, tonumber(given)} end
        end
        local seq = tonumber(chat[6]) + 1
        -- the line first: if the log refuses it (an id not above the last one), the counter is untouched
        local added = redis.pcall('XADD', LOG, string.format('%d-0', seq), 'from', ARGV[4], 'text', ARGV[5], 'ts', ARGV[6])
        if type(added) == 'table' and added.err then return {500, epoch, lost, added.err} end
        redis.call('HSET', CHAT, 'lastSeq', string.format('%d', seq))
        if lineId and lineId ~= '' then redis.call('HSET', CHAT, 'id:' .. lineId, string.format('%d', seq)) end
        return {0, epoch, lost, seq}
      end

      if op == 'end' then
        if chat[5] ~= 'open' then return {409, epoch, lost} end
        redis.call('HSET', CHAT, 'state', 'ended', 'endedBy', ARGV[4], 'reason', ARGV[5])
        -- no line is stored after the end: the line ids go, so a kept chat holds only its log
        local fields = redis.call('HKEYS', CHAT)
        for _, f in ipairs(fields) do
          if string.sub(f, 1, 3) == 'id:' then redis.call('HDEL', CHAT, f) end
        end
        redis.call('PEXPIRE', CHAT, ARGV[6])
        redis.call('PEXPIRE', LOG, ARGV[6])
        chat[5], chat[7], chat[8] = 'ended', ARGV[4], ARGV[5]
        return {0, epoch, lost, chat}
      end

      if op == 'history' then
        return {0, epoch, lost, chat, redis.call('XRANGE', LOG, ARGV[4], '+')}
      end

      return redis.error_reply('unknown chat store op ' .. tostring(op))
      """;

  static final String SHA = sha1(SOURCE);

  private ChatScript() {}

  /** Caches the script in Redis; fails when Redis computed another digest (it would never match). */
  static Future<Void> load(Redis redis) {
    return redis.send(Request.cmd(Command.SCRIPT).arg("LOAD").arg(SOURCE))
        .compose(sha -> SHA.equals(sha.toString()) ? Future.succeededFuture()
            : Future.failedFuture(new IllegalStateException("Redis computed script digest " + sha + ", expected " + SHA)));
  }

  /** Runs the script through {@code send} (a connection's, or the client's). */
  static Future<Response> run(Function<Request, Future<Response>> send, List<String> keys, List<String> args) {
    return send.apply(call(Command.EVALSHA, SHA, keys, args))
        .recover(e -> isNoScript(e) ? send.apply(call(Command.EVAL, SOURCE, keys, args)) : Future.failedFuture(e));
  }

  private static Request call(Command command, String script, List<String> keys, List<String> args) {
    Request request = Request.cmd(command).arg(script).arg(keys.size());
    keys.forEach(request::arg);
    args.forEach(request::arg);
    return request;
  }

  private static boolean isNoScript(Throwable e) {
    return e.getMessage() != null && e.getMessage().startsWith("NOSCRIPT");
  }

  private static String sha1(String text) {
    try {
      return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-1").digest(text.getBytes(StandardCharsets.UTF_8)));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("every JVM has SHA-1", e);
    }
  }
}
