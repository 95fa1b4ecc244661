package io.flexrig.agent.source.opcua;

import io.flexrig.agent.source.InvalidAddressException;
import io.flexrig.agent.source.SourceAddress;

/**
 * A node on the rig's OPC UA server: {@code opcua:nsu=<namespace uri>;s=<id>} (preferred: the index
 * of a namespace may change when the server restarts) or {@code opcua:ns=<index>;s=<id>}; numeric
 * ids use {@code i=}. Without {@code ns}/{@code nsu} the namespace is 0.
 *
 * @param namespaceUri the namespace URI, or null when given by index
 * @param namespaceIndex the namespace index, or -1 when given by URI
 * @param numeric true for an {@code i=} identifier, false for {@code s=}
 * @param identifier the identifier text
 */
public record OpcUaNodeAddress(
    String namespaceUri, int namespaceIndex, boolean numeric, String identifier) {

  public static OpcUaNodeAddress parse(String address) {
    SourceAddress a = SourceAddress.parse(address);
    if (!a.scheme().equals("opcua")) {
      throw new InvalidAddressException(address, "scheme must be 'opcua'");
    }
    String rest = a.rest();
    String uri = null;
    int index = 0;
    if (rest.startsWith("nsu=") || rest.startsWith("ns=")) {
      int semi = rest.indexOf(';');
      if (semi < 0) {
        throw new InvalidAddressException(address, "expected ';' after the namespace");
      }
      String ns = rest.substring(0, semi);
      rest = rest.substring(semi + 1);
      if (ns.startsWith("nsu=")) {
        uri = ns.substring(4);
        index = -1;
        if (uri.isBlank()) {
          throw new InvalidAddressException(address, "empty namespace URI");
        }
      } else {
        try {
          index = Integer.parseInt(ns.substring(3));
        } catch (NumberFormatException e) {
          throw new InvalidAddressException(
              address, "namespace index '" + ns.substring(3) + "' is not a number");
        }
        if (index < 0 || index > 65535) {
          throw new InvalidAddressException(address, "namespace index out of range 0-65535");
        }
      }
    }
    boolean numeric;
    if (rest.startsWith("s=")) {
      numeric = false;
    } else if (rest.startsWith("i=")) {
      numeric = true;
    } else {
      throw new InvalidAddressException(address, "identifier must start with 's=' or 'i='");
    }
    String id = rest.substring(2);
    if (id.isEmpty()) {
      throw new InvalidAddressException(address, "empty identifier");
    }
    if (numeric) {
      try {
        long v = Long.parseLong(id);
        if (v < 0 || v > 0xFFFF_FFFFL) {
          throw new NumberFormatException();
        }
      } catch (NumberFormatException e) {
        throw new InvalidAddressException(
            address, "numeric identifier '" + id + "' is not a UInt32");
      }
    }
    return new OpcUaNodeAddress(uri, index, numeric, id);
  }

  @Override
  public String toString() {
    String ns = namespaceUri != null ? "nsu=" + namespaceUri : "ns=" + namespaceIndex;
    return "opcua:" + ns + ";" + (numeric ? "i=" : "s=") + identifier;
  }
}
