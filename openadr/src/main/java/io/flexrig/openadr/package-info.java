/**
 * The neutral output of the OpenADR 3.1 VEN: {@link io.flexrig.openadr.GridSignal}s handed to a
 * {@link io.flexrig.openadr.GridSignalListener}. Nothing here knows gRPC or the controller; the
 * controller depends on this package, never the other way round.
 */
package io.flexrig.openadr;
