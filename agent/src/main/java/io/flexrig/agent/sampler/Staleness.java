package io.flexrig.agent.sampler;

import io.flexrig.agent.source.Quality;
import io.flexrig.agent.source.Reading;
import java.time.Duration;
import java.time.Instant;

/**
 * When an old reading stops being trusted: UNCERTAIN after {@code uncertainAfter}, BAD after {@code
 * badAfter}. A reading never gets better by ageing.
 */
public record Staleness(Duration uncertainAfter, Duration badAfter) {

  public Staleness {
    if (badAfter.compareTo(uncertainAfter) < 0) {
      throw new IllegalArgumentException("badAfter must not be shorter than uncertainAfter");
    }
  }

  /** Three sampling intervals to UNCERTAIN, ten to BAD. */
  public static Staleness forInterval(Duration interval) {
    return new Staleness(interval.multipliedBy(3), interval.multipliedBy(10));
  }

  public Reading degrade(Reading r, Instant now) {
    Duration age = Duration.between(r.readAt(), now);
    if (age.compareTo(badAfter) > 0) {
      return r.withQuality(Quality.BAD);
    }
    if (age.compareTo(uncertainAfter) > 0) {
      return r.withQuality(r.quality().worst(Quality.UNCERTAIN));
    }
    return r;
  }
}
