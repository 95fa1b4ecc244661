/**
 * The OpenADR 3.1.0 VEN client: {@link io.flexrig.openadr.ven.VenClient} polls (and optionally
 * subscribes to) a VTN's events, turns them into {@link io.flexrig.openadr.GridSignal}s and posts
 * usage reports. HTTP with the JDK client, JSON with Jackson; the webhook receiver is the JDK's
 * {@code com.sun.net.httpserver}.
 */
package io.flexrig.openadr.ven;
