/**
 * A small VTN that serves the part of the OpenADR 3.1.0 API a VEN uses, with the spec's paths,
 * field names, status codes and problem bodies. For tests and the demo, not for production: one
 * process, memory only, targets not enforced, webhooks over plain HTTP allowed.
 */
package io.flexrig.openadr.vtn;
