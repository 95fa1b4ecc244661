package io.flexrig.openadr.model;

import java.util.List;

/** One temporal window of an event or report; {@code id} is client-chosen, not a sequence. */
public record Interval(Integer id, IntervalPeriod intervalPeriod, List<ValuesMap> payloads) {}
