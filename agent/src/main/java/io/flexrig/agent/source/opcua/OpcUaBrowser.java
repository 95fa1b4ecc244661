package io.flexrig.agent.source.opcua;

import java.io.IOException;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.eclipse.milo.opcua.sdk.client.OpcUaClient;
import org.eclipse.milo.opcua.stack.core.NamespaceTable;
import org.eclipse.milo.opcua.stack.core.NodeIds;
import org.eclipse.milo.opcua.stack.core.UaException;
import org.eclipse.milo.opcua.stack.core.types.builtin.DataValue;
import org.eclipse.milo.opcua.stack.core.types.builtin.NodeId;
import org.eclipse.milo.opcua.stack.core.types.enumerated.NodeClass;
import org.eclipse.milo.opcua.stack.core.types.enumerated.TimestampsToReturn;
import org.eclipse.milo.opcua.stack.core.types.structured.ReferenceDescription;

/**
 * Browses an OPC UA server for the variables a technician may map to sensor roles: walks the
 * Objects folder (the server's own namespace 0 diagnostics left out), reads each variable's value
 * once, and gives each as the address a profile takes, namespace by URI ({@code
 * opcua:nsu=urn:..;s=PDU.Outlet01.ActivePowerW}), since namespace indexes may change between server
 * restarts. Bounded in depth and node count; read-only.
 */
public final class OpcUaBrowser {

  /**
   * A variable found on the server.
   *
   * @param address the sensor address for a profile
   * @param path browse names from the Objects folder, e.g. {@code PDU/Outlet01/ActivePowerW}
   * @param value the value read once, as text; empty when it could not be read
   */
  public record Variable(String address, String path, String value) {}

  private final int maxDepth;
  private final int maxNodes;

  public OpcUaBrowser(int maxDepth, int maxNodes) {
    this.maxDepth = maxDepth;
    this.maxNodes = maxNodes;
  }

  /** Connects with SecurityPolicy None, browses, reads the values, disconnects. */
  public List<Variable> browse(String endpointUrl) throws IOException {
    return browse(endpointUrl, OpcUaSecurity.NONE);
  }

  /**
   * Connects with the agent's security (a secure setting refuses an untrusted server as the agent
   * does), browses, reads the values, disconnects.
   */
  public List<Variable> browse(String endpointUrl, OpcUaSecurity security) throws IOException {
    OpcUaClient client;
    try {
      client = OpcUaEndpoint.connect(endpointUrl, security, "Flexrig probe");
    } catch (UaException | RuntimeException e) {
      throw new IOException("cannot connect to " + endpointUrl + ": " + e.getMessage(), e);
    }
    try {
      return walk(client);
    } catch (UaException | RuntimeException e) {
      throw new IOException("browsing " + endpointUrl + " failed: " + e.getMessage(), e);
    } finally {
      try {
        client.disconnect();
      } catch (UaException | RuntimeException e) {
        // the server goes away with the session; nothing to keep
      }
    }
  }

  private record Pending(NodeId node, String path, int depth) {}

  private List<Variable> walk(OpcUaClient client) throws UaException {
    NamespaceTable namespaces = client.readNamespaceTable();
    List<NodeId> variables = new ArrayList<>();
    List<String> paths = new ArrayList<>();
    Deque<Pending> queue = new ArrayDeque<>();
    Set<NodeId> seen = new HashSet<>();
    queue.add(new Pending(NodeIds.ObjectsFolder, "", 0));
    int visited = 0;
    while (!queue.isEmpty() && visited < maxNodes) {
      Pending p = queue.poll();
      visited++;
      for (ReferenceDescription ref : client.getAddressSpace().browse(p.node())) {
        NodeId id = ref.getNodeId().toNodeId(namespaces).orElse(null);
        if (id == null || id.getNamespaceIndex().intValue() == 0 || !seen.add(id)) {
          continue;
        }
        String name = String.valueOf(ref.getBrowseName().name());
        String path = p.path().isEmpty() ? name : p.path() + "/" + name;
        if (ref.getNodeClass() == NodeClass.Variable) {
          variables.add(id);
          paths.add(path);
        } else if (ref.getNodeClass() == NodeClass.Object && p.depth() + 1 < maxDepth) {
          queue.add(new Pending(id, path, p.depth() + 1));
        }
      }
    }
    List<DataValue> values =
        variables.isEmpty()
            ? List.of()
            : client.readValues(0, TimestampsToReturn.Neither, variables);
    List<Variable> out = new ArrayList<>(variables.size());
    for (int i = 0; i < variables.size(); i++) {
      DataValue v = i < values.size() ? values.get(i) : null;
      String text =
          v != null && v.statusCode() != null && v.statusCode().isGood() && v.value() != null
              ? String.valueOf(v.value().value())
              : "";
      out.add(new Variable(address(variables.get(i), namespaces), paths.get(i), text));
    }
    return out;
  }

  /** The profile address of a node: {@code opcua:nsu=<uri>;<s=|i=|g=|b=><id>}. */
  static String address(NodeId node, NamespaceTable namespaces) {
    String parseable = node.toParseableString(); // "ns=2;s=PDU.Outlet01.ActivePowerW"
    String identifier = parseable.substring(parseable.indexOf(';') + 1);
    String uri = namespaces.get(node.getNamespaceIndex());
    return uri == null
        ? "opcua:ns=" + node.getNamespaceIndex() + ";" + identifier
        : "opcua:nsu=" + uri + ";" + identifier;
  }
}
