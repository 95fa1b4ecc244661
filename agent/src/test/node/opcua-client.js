// An independent OPC UA client (node-opcua) of the agent's SCADA server: it knows only the
// address space's documented layout. It browses Objects/Flexrig/<rig id>, reads every variable
// with its data type, access level and engineering units, prints them as one JSON line, then
// subscribes to every variable and prints each change as a JSON line until stdin says "quit"
// (or 120 s pass).
//
// Usage: node opcua-client.js <endpoint url> <rig id>
// Output lines: {"event":"browsed","variables":{"Power/InputPowerW":{...}}}
//               {"event":"subscribed","items":N}
//               {"event":"change","path":"Curtailment/Mode","value":"CURTAILED","status":"Good"}
'use strict';

const readline = require('readline');
const {
  OPCUAClient,
  MessageSecurityMode,
  SecurityPolicy,
  AttributeIds,
  BrowseDirection,
  TimestampsToReturn,
  NodeClass,
} = require('node-opcua');

const [endpointUrl, rigId] = process.argv.slice(2);
const NAMESPACE_URI = 'urn:flexrig:agent';

function emit(obj) {
  process.stdout.write(JSON.stringify(obj) + '\n');
}

function plain(value) {
  if (value instanceof Date) {
    return value.getTime() <= 0 ? null : value.toISOString();
  }
  if (typeof value === 'number' && !Number.isFinite(value)) {
    return null;
  }
  return value;
}

async function children(session, nodeId, referenceTypeId) {
  const result = await session.browse({
    nodeId,
    browseDirection: BrowseDirection.Forward,
    referenceTypeId,
    includeSubtypes: true,
    nodeClassMask: 0,
    resultMask: 63,
  });
  if (!result.statusCode.isGood()) {
    throw new Error(`browse ${nodeId}: ${result.statusCode.toString()}`);
  }
  return result.references || [];
}

async function child(session, nodeId, name) {
  const found = (await children(session, nodeId, 'HierarchicalReferences')).find(
    (r) => r.browseName.name === name,
  );
  if (!found) {
    throw new Error(`no ${name} under ${nodeId}`);
  }
  return found;
}

async function main() {
  const client = OPCUAClient.create({
    applicationName: 'flexrig-scada-test',
    endpointMustExist: false,
    securityMode: MessageSecurityMode.None,
    securityPolicy: SecurityPolicy.None,
    connectionStrategy: { maxRetry: 3, initialDelay: 200, maxDelay: 1000 },
  });
  await client.connect(endpointUrl);
  const session = await client.createSession();
  try {
    const namespaces = await session.readNamespaceArray();
    const ns = namespaces.indexOf(NAMESPACE_URI);
    if (ns < 0) {
      throw new Error(`namespace ${NAMESPACE_URI} not served: ${namespaces}`);
    }
    const flexrig = await child(session, 'ObjectsFolder', 'Flexrig');
    const rig = await child(session, flexrig.nodeId, rigId);
    const variables = {};
    const nodes = [];
    for (const folder of await children(session, rig.nodeId, 'Organizes')) {
      for (const v of await children(session, folder.nodeId, 'Organizes')) {
        if (v.nodeClass !== NodeClass.Variable) {
          continue;
        }
        const path = `${folder.browseName.name}/${v.browseName.name}`;
        if (v.browseName.namespaceIndex !== ns) {
          throw new Error(`${path} is not in namespace ${NAMESPACE_URI}`);
        }
        nodes.push({ path, nodeId: v.nodeId });
      }
    }
    // one Read and one Browse for all variables: a SCADA reads a rig in a few round trips
    const attributes = [
      AttributeIds.Value,
      AttributeIds.DataType,
      AttributeIds.AccessLevel,
      AttributeIds.UserAccessLevel,
    ];
    const read = await session.read(
      nodes.flatMap(({ nodeId }) => attributes.map((attributeId) => ({ nodeId, attributeId }))),
    );
    const properties = await session.browse(
      nodes.map(({ nodeId }) => ({
        nodeId,
        browseDirection: BrowseDirection.Forward,
        referenceTypeId: 'HasProperty',
        includeSubtypes: true,
        nodeClassMask: 0,
        resultMask: 63,
      })),
    );
    const unitNodes = properties.map(
      (p) => (p.references || []).find((r) => r.browseName.name === 'EngineeringUnits') || null,
    );
    const withUnits = unitNodes.filter((u) => u !== null);
    const units =
      withUnits.length === 0
        ? []
        : await session.read(
            withUnits.map((u) => ({ nodeId: u.nodeId, attributeId: AttributeIds.Value })),
          );
    let u = 0;
    nodes.forEach(({ path, nodeId }, i) => {
      const [value, dataType, accessLevel, userAccessLevel] = read.slice(4 * i, 4 * i + 4);
      const entry = {
        nodeId: nodeId.toString(),
        value: plain(value.value.value),
        status: value.statusCode.name,
        dataType: dataType.value.value.toString(),
        accessLevel: accessLevel.value.value,
        userAccessLevel: userAccessLevel.value.value,
      };
      if (unitNodes[i] !== null) {
        const eu = units[u++].value.value;
        entry.units = {
          namespaceUri: eu.namespaceUri,
          unitId: eu.unitId,
          symbol: eu.displayName.text,
        };
      }
      variables[path] = entry;
    });
    emit({ event: 'browsed', namespaceIndex: ns, variables });

    const subscription = await session.createSubscription2({
      requestedPublishingInterval: 100,
      requestedLifetimeCount: 600,
      requestedMaxKeepAliveCount: 20,
      maxNotificationsPerPublish: 1000,
      publishingEnabled: true,
      priority: 1,
    });
    const group = await subscription.monitorItems(
      nodes.map(({ nodeId }) => ({ nodeId, attributeId: AttributeIds.Value })),
      { samplingInterval: 100, discardOldest: true, queueSize: 10 },
      TimestampsToReturn.Both,
    );
    group.on('changed', (item, dv, index) =>
      emit({
        event: 'change',
        path: nodes[index].path,
        value: plain(dv.value.value),
        status: dv.statusCode.name,
      }),
    );
    emit({ event: 'subscribed', items: nodes.length });

    await new Promise((resolve) => {
      const timer = setTimeout(resolve, 120000);
      readline.createInterface({ input: process.stdin }).on('line', (line) => {
        if (line.trim() === 'quit') {
          clearTimeout(timer);
          resolve();
        }
      });
    });
    await subscription.terminate();
  } finally {
    await session.close();
    await client.disconnect();
  }
}

main().then(
  () => process.exit(0),
  (err) => {
    process.stderr.write(`opcua-client: ${err.stack || err}\n`);
    process.exit(1);
  },
);
