package io.flexrig.agent.scada;

import io.flexrig.agent.source.Quality;
import io.flexrig.agent.status.RigStatus;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.eclipse.milo.opcua.sdk.core.AccessLevel;
import org.eclipse.milo.opcua.sdk.core.Reference;
import org.eclipse.milo.opcua.sdk.server.ManagedNamespaceWithLifecycle;
import org.eclipse.milo.opcua.sdk.server.OpcUaServer;
import org.eclipse.milo.opcua.sdk.server.items.DataItem;
import org.eclipse.milo.opcua.sdk.server.items.MonitoredItem;
import org.eclipse.milo.opcua.sdk.server.model.variables.BaseAnalogType;
import org.eclipse.milo.opcua.sdk.server.nodes.UaFolderNode;
import org.eclipse.milo.opcua.sdk.server.nodes.UaVariableNode;
import org.eclipse.milo.opcua.sdk.server.util.SubscriptionModel;
import org.eclipse.milo.opcua.stack.core.NodeIds;
import org.eclipse.milo.opcua.stack.core.StatusCodes;
import org.eclipse.milo.opcua.stack.core.types.builtin.DataValue;
import org.eclipse.milo.opcua.stack.core.types.builtin.DateTime;
import org.eclipse.milo.opcua.stack.core.types.builtin.LocalizedText;
import org.eclipse.milo.opcua.stack.core.types.builtin.NodeId;
import org.eclipse.milo.opcua.stack.core.types.builtin.StatusCode;
import org.eclipse.milo.opcua.stack.core.types.builtin.Variant;
import org.eclipse.milo.opcua.stack.core.types.structured.EUInformation;

/**
 * {@code Objects/Flexrig/<rigId>/<folder>/<variable>}: the rig's {@link ScadaPoints} as read-only
 * variables. Values are pushed in by {@link #publish} from the agent's snapshots; a read or a
 * subscription sample returns the last published value and never reaches into the agent.
 */
final class RigNamespace extends ManagedNamespaceWithLifecycle {
  static final String NAMESPACE_URI = "urn:flexrig:agent";
  static final String UNECE_UNITS = "http://www.opcfoundation.org/UA/units/un/cefact";
  static final String FLEXRIG_UNITS = "urn:flexrig:units";

  private final SubscriptionModel subscriptionModel;
  private final String rigId;
  private final Map<String, UaFolderNode> folders = new HashMap<>();
  // what each variable shows now, so an unchanged value keeps its source timestamp
  private final Map<String, Shown> shown = new HashMap<>();
  private volatile RigStatus initial;

  private record Shown(UaVariableNode node, ScadaPoint point) {}

  RigNamespace(OpcUaServer server, RigStatus initial) {
    super(server, NAMESPACE_URI);
    this.rigId = initial.identity().rigId();
    this.initial = initial;
    this.subscriptionModel = new SubscriptionModel(server, this);
    getLifecycleManager().addLifecycle(subscriptionModel);
    getLifecycleManager().addStartupTask(this::addNodes);
  }

  private synchronized void addNodes() {
    UaFolderNode flexrig = folder(newNodeId("Flexrig"), "Flexrig");
    flexrig.addReference(
        new Reference(
            flexrig.getNodeId(),
            NodeIds.Organizes,
            NodeIds.ObjectsFolder.expanded(),
            Reference.Direction.INVERSE));
    UaFolderNode rig = folder(newNodeId(rigId), rigId);
    flexrig.addOrganizes(rig);
    for (String name : ScadaPoints.FOLDERS) {
      UaFolderNode f = folder(newNodeId(rigId + "/" + name), name);
      rig.addOrganizes(f);
      folders.put(name, f);
    }
    publishLocked(initial);
    initial = null;
  }

  /** Shows a new status; variables for newly reported chains or fans are added. */
  synchronized void publish(RigStatus status) {
    if (folders.isEmpty()) {
      initial = status; // not started yet: shown once the nodes exist
      return;
    }
    publishLocked(status);
  }

  private void publishLocked(RigStatus status) {
    Instant sampledAt = status.snapshot().sampledAt();
    DateTime serverTime = DateTime.now();
    for (ScadaPoint p : ScadaPoints.of(status)) {
      Shown now = shown.get(p.path());
      if (now == null) {
        UaVariableNode node = variable(p);
        node.setValue(dataValue(p, sampledAt, serverTime));
        shown.put(p.path(), new Shown(node, p));
      } else if (!now.point().equals(p)) {
        now.node().setValue(dataValue(p, sampledAt, serverTime));
        shown.put(p.path(), new Shown(now.node(), p));
      }
    }
  }

  /** The node id of {@code folder/name} under this rig, for tests and documentation. */
  NodeId nodeId(String path) {
    return newNodeId(rigId + "/" + path);
  }

  private UaFolderNode folder(NodeId id, String name) {
    UaFolderNode folder =
        new UaFolderNode(getNodeContext(), id, newQualifiedName(name), LocalizedText.english(name));
    getNodeManager().addNode(folder);
    return folder;
  }

  private UaVariableNode variable(ScadaPoint p) {
    UaVariableNode node =
        new UaVariableNode.UaVariableNodeBuilder(getNodeContext())
            .setNodeId(nodeId(p.path()))
            .setAccessLevel(AccessLevel.READ_ONLY)
            .setUserAccessLevel(AccessLevel.READ_ONLY)
            .setBrowseName(newQualifiedName(p.name()))
            .setDisplayName(LocalizedText.english(p.name()))
            .setDataType(dataType(p.type()))
            .setTypeDefinition(
                p.unit() == ScadaPoint.Unit.NONE
                    ? NodeIds.BaseDataVariableType
                    : NodeIds.BaseAnalogType)
            .setMinimumSamplingInterval(100.0)
            .build();
    getNodeManager().addNode(node);
    if (p.unit() != ScadaPoint.Unit.NONE) {
      node.setProperty(BaseAnalogType.ENGINEERING_UNITS, units(p.unit()));
    }
    folders.get(p.folder()).addOrganizes(node);
    return node;
  }

  private static EUInformation units(ScadaPoint.Unit unit) {
    return new EUInformation(
        unit.unitId() == -1 ? FLEXRIG_UNITS : UNECE_UNITS,
        unit.unitId(),
        LocalizedText.english(unit.symbol()),
        LocalizedText.english(unit.description()));
  }

  private static NodeId dataType(ScadaPoint.Type type) {
    return switch (type) {
      case DOUBLE -> NodeIds.Double;
      case BOOLEAN -> NodeIds.Boolean;
      case STRING -> NodeIds.String;
      case INT32 -> NodeIds.Int32;
      case DATE_TIME -> NodeIds.DateTime;
    };
  }

  private static DataValue dataValue(ScadaPoint p, Instant sampledAt, DateTime serverTime) {
    Object v = p.value();
    Variant variant =
        switch (v) {
          case null -> Variant.NULL_VALUE;
          case Instant i -> new Variant(new DateTime(i));
          default -> new Variant(v);
        };
    return new DataValue(variant, status(p), new DateTime(sampledAt), serverTime);
  }

  private static StatusCode status(ScadaPoint p) {
    if (p.value() instanceof Double d && d.isNaN() && p.quality() == Quality.BAD) {
      return new StatusCode(StatusCodes.Bad_NoData);
    }
    return switch (p.quality()) {
      case GOOD -> StatusCode.GOOD;
      case UNCERTAIN -> new StatusCode(StatusCodes.Uncertain_LastUsableValue);
      case BAD -> new StatusCode(StatusCodes.Bad_SensorFailure);
    };
  }

  @Override
  public void onDataItemsCreated(List<DataItem> dataItems) {
    subscriptionModel.onDataItemsCreated(dataItems);
  }

  @Override
  public void onDataItemsModified(List<DataItem> dataItems) {
    subscriptionModel.onDataItemsModified(dataItems);
  }

  @Override
  public void onDataItemsDeleted(List<DataItem> dataItems) {
    subscriptionModel.onDataItemsDeleted(dataItems);
  }

  @Override
  public void onMonitoringModeChanged(List<MonitoredItem> monitoredItems) {
    subscriptionModel.onMonitoringModeChanged(monitoredItems);
  }
}
