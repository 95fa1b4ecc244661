package io.flexrig.sim.opcua;

import io.flexrig.sim.SimulatedRig;
import java.util.List;
import java.util.function.Supplier;
import org.eclipse.milo.opcua.sdk.core.AccessLevel;
import org.eclipse.milo.opcua.sdk.core.Reference;
import org.eclipse.milo.opcua.sdk.server.ManagedNamespaceWithLifecycle;
import org.eclipse.milo.opcua.sdk.server.OpcUaServer;
import org.eclipse.milo.opcua.sdk.server.items.DataItem;
import org.eclipse.milo.opcua.sdk.server.items.MonitoredItem;
import org.eclipse.milo.opcua.sdk.server.nodes.UaFolderNode;
import org.eclipse.milo.opcua.sdk.server.nodes.UaVariableNode;
import org.eclipse.milo.opcua.sdk.server.nodes.filters.AttributeFilters;
import org.eclipse.milo.opcua.sdk.server.util.SubscriptionModel;
import org.eclipse.milo.opcua.stack.core.NodeIds;
import org.eclipse.milo.opcua.stack.core.StatusCodes;
import org.eclipse.milo.opcua.stack.core.UaRuntimeException;
import org.eclipse.milo.opcua.stack.core.types.builtin.DataValue;
import org.eclipse.milo.opcua.stack.core.types.builtin.LocalizedText;
import org.eclipse.milo.opcua.stack.core.types.builtin.NodeId;
import org.eclipse.milo.opcua.stack.core.types.builtin.Variant;

/**
 * The site's address space: {@code Site/Meter} (active power, grid frequency) and one {@code
 * PDU/OutletNN} per rig (active power, switch). Values are computed from the rigs when read, so
 * every read and every sample of a subscription sees the present physics.
 */
final class SiteNamespace extends ManagedNamespaceWithLifecycle {

  private final SubscriptionModel subscriptionModel;
  private final List<SimulatedRig> rigs;
  private final Supplier<Double> meterPowerW;
  private final Supplier<Double> frequencyHz;

  SiteNamespace(
      OpcUaServer server,
      List<SimulatedRig> rigs,
      Supplier<Double> meterPowerW,
      Supplier<Double> frequencyHz) {
    super(server, SiteOpcUaServer.NAMESPACE_URI);
    this.rigs = rigs;
    this.meterPowerW = meterPowerW;
    this.frequencyHz = frequencyHz;
    this.subscriptionModel = new SubscriptionModel(server, this);
    getLifecycleManager().addLifecycle(subscriptionModel);
    getLifecycleManager().addStartupTask(this::addNodes);
  }

  private void addNodes() {
    UaFolderNode site = rootFolder("Site");
    UaFolderNode meter = folder(site, "Site.Meter", "Meter");
    readOnlyDouble(meter, "Site.Meter.ActivePowerW", "ActivePowerW", meterPowerW);
    readOnlyDouble(meter, "Site.Meter.FrequencyHz", "FrequencyHz", frequencyHz);

    UaFolderNode pdu = rootFolder("PDU");
    for (int i = 0; i < rigs.size(); i++) {
      SimulatedRig rig = rigs.get(i);
      String outlet = SiteOpcUaServer.outletName(i + 1);
      UaFolderNode outletFolder = folder(pdu, "PDU." + outlet, outlet);
      readOnlyDouble(outletFolder, "PDU." + outlet + ".ActivePowerW", "ActivePowerW", rig::powerW);
      outletSwitch(outletFolder, "PDU." + outlet + ".On", rig);
    }
  }

  private UaFolderNode rootFolder(String id) {
    UaFolderNode folder =
        new UaFolderNode(
            getNodeContext(), newNodeId(id), newQualifiedName(id), LocalizedText.english(id));
    getNodeManager().addNode(folder);
    folder.addReference(
        new Reference(
            folder.getNodeId(),
            NodeIds.Organizes,
            NodeIds.ObjectsFolder.expanded(),
            Reference.Direction.INVERSE));
    return folder;
  }

  private UaFolderNode folder(UaFolderNode parent, String id, String name) {
    UaFolderNode folder =
        new UaFolderNode(
            getNodeContext(), newNodeId(id), newQualifiedName(name), LocalizedText.english(name));
    getNodeManager().addNode(folder);
    parent.addOrganizes(folder);
    return folder;
  }

  private void readOnlyDouble(UaFolderNode parent, String id, String name, Supplier<Double> value) {
    UaVariableNode node =
        new UaVariableNode.UaVariableNodeBuilder(getNodeContext())
            .setNodeId(newNodeId(id))
            .setAccessLevel(AccessLevel.READ_ONLY)
            .setUserAccessLevel(AccessLevel.READ_ONLY)
            .setBrowseName(newQualifiedName(name))
            .setDisplayName(LocalizedText.english(name))
            .setDataType(NodeIds.Double)
            .setTypeDefinition(NodeIds.BaseDataVariableType)
            .setMinimumSamplingInterval(50.0)
            .build();
    node.setValue(new DataValue(new Variant(value.get())));
    node.getFilterChain()
        .addLast(AttributeFilters.getValue(ctx -> new DataValue(new Variant(value.get()))));
    getNodeManager().addNode(node);
    parent.addOrganizes(node);
  }

  private void outletSwitch(UaFolderNode parent, String id, SimulatedRig rig) {
    UaVariableNode node =
        new UaVariableNode.UaVariableNodeBuilder(getNodeContext())
            .setNodeId(newNodeId(id))
            .setAccessLevel(AccessLevel.READ_WRITE)
            .setUserAccessLevel(AccessLevel.READ_WRITE)
            .setBrowseName(newQualifiedName("On"))
            .setDisplayName(LocalizedText.english("On"))
            .setDataType(NodeIds.Boolean)
            .setTypeDefinition(NodeIds.BaseDataVariableType)
            .setMinimumSamplingInterval(50.0)
            .build();
    node.setValue(new DataValue(new Variant(rig.isRelayClosed())));
    node.getFilterChain()
        .addLast(
            AttributeFilters.getSetValue(
                ctx -> new DataValue(new Variant(rig.isRelayClosed())),
                (ctx, written) -> {
                  if (written.value().value() instanceof Boolean on) {
                    rig.setRelayClosed(on);
                  } else {
                    throw new UaRuntimeException(StatusCodes.Bad_TypeMismatch);
                  }
                }));
    getNodeManager().addNode(node);
    parent.addOrganizes(node);
  }

  NodeId nodeId(String id) {
    return newNodeId(id);
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
