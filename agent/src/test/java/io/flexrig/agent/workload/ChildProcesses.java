package io.flexrig.agent.workload;

import io.flexrig.core.profile.CurtailmentMethodKind;
import io.flexrig.core.profile.FrequencyResponse;
import io.flexrig.core.profile.HardwareProfile;
import io.flexrig.core.profile.ProfileLoader;
import io.flexrig.core.profile.WorkloadKind;
import io.flexrig.core.profile.WorkloadSpec;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/** Command lines of the simulator's stand-in workloads, each run in its own JVM. */
final class ChildProcesses {
  static final Path PROFILES =
      Path.of(System.getProperty("flexrig.profiles.dir", "../hardware-profiles")).toAbsolutePath();

  static final WorkloadSupervisor.Settings FAST =
      new WorkloadSupervisor.Settings(
          Duration.ofMillis(200),
          Duration.ofSeconds(2),
          Duration.ofSeconds(30),
          Duration.ofSeconds(5),
          50);

  private ChildProcesses() {}

  static List<String> java(String mainClass, String... args) {
    List<String> cmd = new ArrayList<>();
    cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    cmd.addAll(List.of("-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1", "-Xmx48m", "-Xshare:auto"));
    cmd.addAll(List.of("-cp", System.getProperty("java.class.path")));
    cmd.add(mainClass);
    cmd.addAll(List.of(args));
    return cmd;
  }

  static List<String> miner(int port, String... extra) {
    List<String> args = new ArrayList<>();
    args.add(PROFILES.resolve("antminer-s19j-pro.yaml").toString());
    args.add(Integer.toString(port));
    args.addAll(List.of(extra));
    return java("io.flexrig.sim.StandInMiner", args.toArray(String[]::new));
  }

  static List<String> inferenceServer(int port, long requestMs) {
    return java(
        "io.flexrig.sim.StandInInferenceServer",
        Integer.toString(port),
        Long.toString(requestMs),
        "10000");
  }

  /** A port free now (the child binds it a moment later; loopback only). */
  static int freePort() throws IOException {
    try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      return s.getLocalPort();
    }
  }

  /**
   * The 8x RTX 4090 rig with a GPU miner (cgminer-family API) and an inference server, so it can
   * switch between mining and AI.
   */
  static HardwareProfile hybridGpuRig(int minerPort, int aiPort, double drainS, double minRunS)
      throws Exception {
    HardwareProfile gpu = ProfileLoader.load(PROFILES.resolve("gpu-rig-8x-rtx4090.yaml"));
    return new HardwareProfile(
        gpu.id(),
        gpu.vendor(),
        gpu.model(),
        gpu.kind(),
        gpu.nameplate(),
        gpu.powerCurve(),
        gpu.limits(),
        gpu.thermal(),
        List.of(),
        List.of(
            new WorkloadSpec(
                "mining",
                WorkloadKind.MINING,
                "cgminer://127.0.0.1:" + minerPort,
                List.of(),
                0,
                minRunS),
            new WorkloadSpec(
                "llm-inference",
                WorkloadKind.AI_INFERENCE,
                "http://127.0.0.1:" + aiPort + "/health",
                List.of(),
                drainS,
                minRunS)),
        gpu.curtailment(),
        gpu.source(),
        new FrequencyResponse(
            60, 59.85, 59.70, CurtailmentMethodKind.POWER_TARGET, 2000, 900, 59.95));
  }
}
