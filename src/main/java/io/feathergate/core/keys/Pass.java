package io.feathergate.core.keys;

import io.feathergate.core.Deployment;
import io.feathergate.core.events.RequestRecord;
import io.feathergate.core.spi.TokenUsage;
import java.util.Map;

/**
 * A request let in by {@link KeyAdmission}: the headers its answer carries, and the settling of
 * what it reserved once it is over. Settled exactly once, by whoever ends the request.
 */
public interface Pass {

  /** The headers of every answer: the key's spend before this call, its budget and limits. */
  Map<String, String> headers();

  /** The headers of a complete answer, whose cost is known: {@code x-litellm-response-cost}, ... */
  Map<String, String> answerHeaders(Deployment deployment, TokenUsage usage);

  /** The request is over: its reservation is replaced by its cost, and its spend row queued. */
  void settle(RequestRecord record);
}
