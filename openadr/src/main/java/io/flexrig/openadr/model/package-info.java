/**
 * The OpenADR 3.1.0 wire objects as Java records, named and shaped like the schemas of the
 * published OpenAPI document (field names are the JSON property names). Date-times and durations
 * stay RFC 3339 / ISO 8601 strings here; {@link io.flexrig.openadr.model.IsoDuration} and the
 * signal mapping interpret them.
 */
package io.flexrig.openadr.model;
