package io.flexrig.agent.source;

import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What drivers need from the agent that opens them: the clock, the rig's OPC UA endpoint, the
 * default sampling interval, adapter objects supplied by whoever builds the agent (for example the
 * Pi4J context), and resources shared by all sources of one rig (one OPC UA client per endpoint,
 * one lock per I2C bus). Closing the context closes the shared resources, last opened first.
 */
public final class SourceContext implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(SourceContext.class);

  private final Clock clock;
  private final String opcUaEndpointUrl;
  private final Duration samplingInterval;
  private final Map<Class<?>, Supplier<?>> services;
  private final Map<String, Object> shared = new LinkedHashMap<>();

  private SourceContext(Builder b) {
    this.clock = b.clock;
    this.opcUaEndpointUrl = b.opcUaEndpointUrl;
    this.samplingInterval = b.samplingInterval;
    this.services = Map.copyOf(b.services);
  }

  public static Builder builder() {
    return new Builder();
  }

  public Clock clock() {
    return clock;
  }

  /** The rig's OPC UA server (site meter, PDU), if it has one. */
  public Optional<String> opcUaEndpointUrl() {
    return Optional.ofNullable(opcUaEndpointUrl);
  }

  /** The interval sources sample at unless their sensor options say otherwise. */
  public Duration samplingInterval() {
    return samplingInterval;
  }

  /**
   * An adapter object of the given type supplied by the agent's builder (e.g. {@code
   * com.pi4j.context.Context}); the supplier is called on each lookup, so it should cache.
   */
  public <T> Optional<T> service(Class<T> type) {
    Supplier<?> s = services.get(type);
    return s == null ? Optional.empty() : Optional.ofNullable(type.cast(s.get()));
  }

  /** The resource shared under {@code key}, created on first use and closed with the context. */
  public synchronized <T> T shared(String key, Class<T> type, Supplier<? extends T> factory) {
    Object existing = shared.get(key);
    if (existing == null) {
      existing = factory.get();
      shared.put(key, existing);
    }
    return type.cast(existing);
  }

  @Override
  public void close() {
    List<Object> resources;
    synchronized (this) {
      resources = new ArrayList<>(shared.values());
      shared.clear();
    }
    for (Object r : resources.reversed()) {
      if (r instanceof AutoCloseable c) {
        try {
          c.close();
        } catch (Exception e) {
          log.warn("closing shared source resource {} failed", r, e);
        }
      }
    }
  }

  /** Builds a {@link SourceContext}. */
  public static final class Builder {
    private Clock clock = Clock.systemUTC();
    private String opcUaEndpointUrl;
    private Duration samplingInterval = Duration.ofSeconds(1);
    private final Map<Class<?>, Supplier<?>> services = new LinkedHashMap<>();

    public Builder clock(Clock clock) {
      this.clock = clock;
      return this;
    }

    public Builder opcUaEndpointUrl(String url) {
      this.opcUaEndpointUrl = url;
      return this;
    }

    public Builder samplingInterval(Duration interval) {
      if (interval.isNegative() || interval.isZero()) {
        throw new IllegalArgumentException("sampling interval must be positive: " + interval);
      }
      this.samplingInterval = interval;
      return this;
    }

    public <T> Builder service(Class<T> type, Supplier<? extends T> supplier) {
      services.put(type, supplier);
      return this;
    }

    public SourceContext build() {
      return new SourceContext(this);
    }
  }
}
