/** The site meter and the PDU outlets as an Eclipse Milo OPC UA server. */
package io.flexrig.sim.opcua;
