package io.officehours.store;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import org.junit.jupiter.api.DisplayName;

@DisplayName("InMemoryChatStore keeps the chat store contract")
class InMemoryChatStoreTest extends ChatStoreContract {

  @Override
  protected Future<ChatStore> openStore(Vertx vertx) {
    return Future.succeededFuture(new InMemoryChatStore(1_000));
  }

  @Override
  protected boolean beyondLastSeqIsIncomplete() {
    return false;
  }
}
