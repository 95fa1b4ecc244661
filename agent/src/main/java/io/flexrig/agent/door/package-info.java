/**
 * The agent's dial-in gRPC door ({@code flexrig.v1.AgentService}): any fleet controller or a
 * technician's tool calls the rig directly. Every mutating call becomes the same {@code Command}
 * the controller would send and takes the agent's one command path.
 */
package io.flexrig.agent.door;
