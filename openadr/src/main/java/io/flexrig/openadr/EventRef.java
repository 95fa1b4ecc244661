package io.flexrig.openadr;

/**
 * Which OpenADR event a signal came from. {@code priority} follows the spec (lower number wins,
 * zero is highest); an event without a priority gets {@link #NO_PRIORITY}, the lowest.
 */
public record EventRef(
    String eventId,
    String programId,
    String programName,
    String eventName,
    int priority,
    String modificationDateTime) {
  public static final int NO_PRIORITY = Integer.MAX_VALUE;

  public EventRef {
    if (eventId == null || eventId.isBlank()) {
      throw new IllegalArgumentException("eventId is required");
    }
    if (priority < 0) {
      throw new IllegalArgumentException("priority must be >= 0, was " + priority);
    }
  }
}
