package io.flexrig.sim.cgminer;

import io.flexrig.sim.SimulatedRig;
import java.time.Clock;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The API half of a miner's firmware: turns one cgminer API request into the reply a real Antminer
 * running cgminer 4.11.1 (with LuxOS-style {@code power}/{@code curtail} and a {@code powertarget}
 * knob) would send. Pure text in, text out, so decoders can be tested against it without a socket;
 * {@link CgminerApiServer} puts it on TCP.
 */
public final class CgminerFirmware {

  /** The version string real cgminer puts in every STATUS "Description". */
  public static final String DESCRIPTION = "cgminer 4.11.1";

  static final int CODE_INVALID_COMMAND = 14;
  static final int CODE_MISSING_PARAMETER = 4;
  static final int CODE_POWER = 300;
  static final int CODE_POWER_TARGET_SET = 301;
  static final int CODE_POWER_TARGET_REJECTED = 302;
  static final int CODE_CURTAIL = 303;
  static final int CODE_CURTAIL_REJECTED = 304;

  private static final int CHAINS = 3;
  private static final int CHIPS_PER_CHAIN = 126;
  private static final int FANS = 4;
  private static final String COMPILE_TIME = "Thu Jun 19 12:00:00 UTC 2025";

  private final SimulatedRig rig;
  private final boolean antminerQuirks;
  private final Clock clock;

  /**
   * @param antminerQuirks reproduce the bmminer bug that omits the comma between the two STATS
   *     records ({@code }{}), so parsers can be tested against it
   */
  public CgminerFirmware(SimulatedRig rig, boolean antminerQuirks, Clock clock) {
    this.rig = rig;
    this.antminerQuirks = antminerQuirks;
    this.clock = clock;
  }

  public CgminerFirmware(SimulatedRig rig, boolean antminerQuirks) {
    this(rig, antminerQuirks, Clock.systemUTC());
  }

  /**
   * Answers one request exactly as sent on the socket, without the trailing NUL the server adds.
   * JSON requests ({@code {"command":"summary","parameter":""}}, also {@code summary+stats}) get
   * JSON; plain requests ({@code summary|param}) get cgminer's pipe-separated text.
   */
  public String answer(String request) {
    String trimmed = stripTerminators(request);
    if (trimmed.startsWith("{")) {
      Map<String, String> fields;
      try {
        fields = RequestJson.parseFlatObject(trimmed);
      } catch (IllegalArgumentException e) {
        return error(23, "Invalid JSON").toJson(false);
      }
      String command = fields.get("command");
      if (command == null) {
        return error(24, "Missing JSON 'command'").toJson(false);
      }
      String parameter = fields.getOrDefault("parameter", "");
      if (command.contains("+")) {
        return multiCommand(command, parameter);
      }
      ApiReply reply = execute(command, parameter);
      return reply.toJson(antminerQuirks && command.equals("stats"));
    }
    int bar = trimmed.indexOf('|');
    String command = bar < 0 ? trimmed : trimmed.substring(0, bar);
    String parameter = bar < 0 ? "" : trimmed.substring(bar + 1);
    return execute(command.trim(), parameter).toText();
  }

  private String multiCommand(String commands, String parameter) {
    StringBuilder out = new StringBuilder(4096).append('{');
    boolean first = true;
    for (String command : commands.split("\\+")) {
      if (!isReadOnly(command)) {
        // cgminer only joins reporting commands; anything else fails the whole request.
        return error(CODE_INVALID_COMMAND, "Invalid command").toJson(false);
      }
      if (!first) {
        out.append(',');
      }
      first = false;
      ApiReply.appendString(out, command);
      out.append(":[{");
      execute(command, parameter).appendBody(out, antminerQuirks && command.equals("stats"));
      out.append(",\"id\":1}]");
    }
    return out.append(",\"id\":1}").toString();
  }

  private static boolean isReadOnly(String command) {
    return switch (command) {
      case "version", "summary", "stats", "devs", "pools", "power" -> true;
      default -> false;
    };
  }

  ApiReply execute(String command, String parameter) {
    return switch (command) {
      case "version" -> version();
      case "summary" -> summary();
      case "stats" -> stats();
      case "devs" -> devs();
      case "pools" -> pools();
      case "power" -> power();
      case "powertarget" -> powerTarget(parameter);
      case "curtail" -> curtail(parameter);
      default -> error(CODE_INVALID_COMMAND, "Invalid command");
    };
  }

  private ApiReply version() {
    Map<String, Object> v = new LinkedHashMap<>();
    v.put("CGMiner", "4.11.1");
    v.put("API", "3.7");
    v.put("Miner", "flexrig-sim");
    v.put("CompileTime", COMPILE_TIME);
    v.put("Type", rig.profile().model());
    return success(22, "CGMiner versions").section("VERSION", List.of(v));
  }

  private ApiReply summary() {
    SimulatedRig.State s = rig.state();
    double difficulty = poolDifficulty();
    double minutes = Math.max(s.elapsedS(), 1) / 60;
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("Elapsed", elapsedSeconds(s));
    m.put("MHS av", mhs(averageThs(s)));
    m.put("MHS 5s", mhs(s.hashrate5sThs()));
    m.put("MHS 1m", mhs(s.hashrate1mThs()));
    m.put("MHS 5m", mhs(s.hashrate5mThs()));
    m.put("MHS 15m", mhs(s.hashrate15mThs()));
    m.put("Found Blocks", 0);
    m.put("Getworks", (long) (s.elapsedS() / 30) + 1);
    m.put("Accepted", s.acceptedShares());
    m.put("Rejected", s.rejectedShares());
    m.put("Hardware Errors", s.hardwareErrors());
    m.put("Utility", new ApiReply.Fixed(s.acceptedShares() / minutes, 2));
    m.put("Discarded", (long) (s.elapsedS() * 2));
    m.put("Stale", 0);
    m.put("Get Failures", 0);
    m.put("Local Work", (long) (diff1Work(s) / 64));
    m.put("Remote Failures", 0);
    m.put("Network Blocks", (long) (s.elapsedS() / 600) + 1);
    m.put("Total MH", new ApiReply.Fixed(s.totalTeraHashes() * 1e6, 4));
    m.put("Work Utility", new ApiReply.Fixed(diff1Work(s) / minutes, 2));
    m.put("Difficulty Accepted", new ApiReply.Fixed(s.acceptedShares() * difficulty, 8));
    m.put("Difficulty Rejected", new ApiReply.Fixed(s.rejectedShares() * difficulty, 8));
    m.put("Difficulty Stale", new ApiReply.Fixed(0, 8));
    m.put("Best Share", (long) (difficulty * 37));
    m.put("Device Hardware%", new ApiReply.Fixed(percent(s.hardwareErrors(), diff1Work(s)), 4));
    m.put(
        "Device Rejected%",
        new ApiReply.Fixed(percent(s.rejectedShares() * difficulty, diff1Work(s)), 4));
    m.put(
        "Pool Rejected%",
        new ApiReply.Fixed(
            percent(s.rejectedShares(), s.acceptedShares() + s.rejectedShares()), 4));
    m.put("Pool Stale%", new ApiReply.Fixed(0, 4));
    m.put("Last getwork", when());
    return success(11, "Summary").section("SUMMARY", List.of(m));
  }

  private ApiReply stats() {
    SimulatedRig.State s = rig.state();
    Map<String, Object> header = new LinkedHashMap<>();
    header.put("CGMiner", "4.11.1");
    header.put("Miner", "flexrig-sim");
    header.put("CompileTime", COMPILE_TIME);
    header.put("Type", rig.profile().model());

    double ghs = s.hashrateThs() * 1000;
    double ghs5s = s.hashrate5sThs() * 1000;
    double ghsAv = averageThs(s) * 1000;
    int chip = (int) Math.round(s.chipTempC());
    int board = (int) Math.round(s.boardTempC());
    int frequency = s.hashrateThs() > 0 ? 520 : 0;

    Map<String, Object> m = new LinkedHashMap<>();
    m.put("STATS", 0);
    m.put("ID", "BTM_SOC0");
    m.put("Elapsed", elapsedSeconds(s));
    m.put("Calls", 0);
    m.put("Wait", new ApiReply.Fixed(0, 6));
    m.put("Max", new ApiReply.Fixed(0, 6));
    m.put("Min", new ApiReply.Fixed(99999999, 6));
    // bmminer prints "GHS 5s" as a string and "GHS av" as a number; parsers must take both.
    m.put("GHS 5s", String.format(Locale.ROOT, "%.2f", ghs5s));
    m.put("GHS av", new ApiReply.Fixed(ghsAv, 2));
    m.put("rate_30m", new ApiReply.Fixed(s.hashrate15mThs() * 1000, 2));
    m.put("Mode", 2);
    m.put("miner_count", CHAINS);
    m.put("frequency", frequency);
    m.put("fan_num", FANS);
    int rpm = (int) Math.round(s.fanRpm());
    int[] fanOffsets = {0, -40, 20, -60};
    for (int f = 0; f < FANS; f++) {
      m.put("fan" + (f + 1), rpm == 0 ? 0 : Math.max(0, rpm + fanOffsets[f]));
    }
    m.put("temp_num", CHAINS);
    for (int c = 1; c <= CHAINS; c++) {
      m.put("temp" + c, board);
      m.put("temp2_" + c, chip);
    }
    // S19 firmware reports four sensors per chain: two at the air inlet, two at the outlet.
    for (int c = 1; c <= CHAINS; c++) {
      m.put("temp_pcb" + c, sensorQuad(board, 8));
      m.put("temp_chip" + c, sensorQuad(chip, 8));
      m.put("temp_pic" + c, sensorQuad(board - 10, 8));
    }
    m.put("total_rateideal", new ApiReply.Fixed(rig.profile().nameplate().hashrateThs() * 1000, 2));
    m.put("rate_unit", "GH");
    m.put("total_freqavg", frequency);
    m.put("total_acn", CHAINS * CHIPS_PER_CHAIN);
    m.put("total rate", new ApiReply.Fixed(s.hashrateThs(), 2));
    m.put("temp_max", chip);
    m.put("no_matching_work", 0);
    double[] chainShare = chainShares();
    for (int c = 1; c <= CHAINS; c++) {
      m.put("chain_acn" + c, CHIPS_PER_CHAIN);
    }
    String acs = "oooooooo ".repeat(CHIPS_PER_CHAIN / 8).trim() + " " + "o".repeat(6);
    for (int c = 1; c <= CHAINS; c++) {
      m.put("chain_acs" + c, acs);
    }
    for (int c = 1; c <= CHAINS; c++) {
      m.put(
          "chain_hw" + c, s.hardwareErrors() / CHAINS + (c <= s.hardwareErrors() % CHAINS ? 1 : 0));
    }
    for (int c = 1; c <= CHAINS; c++) {
      m.put("chain_rate" + c, String.format(Locale.ROOT, "%.2f", ghs * chainShare[c - 1]));
    }
    for (int c = 1; c <= CHAINS; c++) {
      m.put("freq" + c, frequency);
    }
    m.put("miner_version", "flexrig-sim");
    m.put("miner_id", minerId());
    return success(70, "CGMiner stats").section("STATS", List.of(header, m));
  }

  private ApiReply devs() {
    SimulatedRig.State s = rig.state();
    double difficulty = poolDifficulty();
    double[] chainShare = chainShares();
    List<Map<String, Object>> devs = new ArrayList<>();
    for (int c = 0; c < CHAINS; c++) {
      double share = chainShare[c];
      Map<String, Object> d = new LinkedHashMap<>();
      d.put("ASC", c);
      d.put("Name", "BTM_SOC");
      d.put("ID", c);
      d.put("Enabled", "Y");
      d.put("Status", s.hashrateThs() > 0 ? "Alive" : "Dead");
      d.put("Temperature", new ApiReply.Fixed(s.chipTempC(), 2));
      d.put("MHS av", mhs(averageThs(s) * share));
      d.put("MHS 5s", mhs(s.hashrate5sThs() * share));
      d.put("MHS 1m", mhs(s.hashrate1mThs() * share));
      d.put("MHS 5m", mhs(s.hashrate5mThs() * share));
      d.put("MHS 15m", mhs(s.hashrate15mThs() * share));
      d.put("Accepted", Math.round(s.acceptedShares() * share));
      d.put("Rejected", Math.round(s.rejectedShares() * share));
      d.put("Hardware Errors", Math.round(s.hardwareErrors() * share));
      d.put(
          "Utility",
          new ApiReply.Fixed(s.acceptedShares() * share / (Math.max(s.elapsedS(), 1) / 60), 2));
      d.put("Last Share Pool", 0);
      d.put("Last Share Time", when());
      d.put("Total MH", new ApiReply.Fixed(s.totalTeraHashes() * 1e6 * share, 4));
      d.put("Diff1 Work", Math.round(diff1Work(s) * share));
      d.put("Difficulty Accepted", new ApiReply.Fixed(s.acceptedShares() * share * difficulty, 8));
      d.put("Difficulty Rejected", new ApiReply.Fixed(s.rejectedShares() * share * difficulty, 8));
      d.put("Last Share Difficulty", new ApiReply.Fixed(difficulty, 8));
      d.put("Last Valid Work", when());
      d.put("Device Hardware%", new ApiReply.Fixed(percent(s.hardwareErrors(), diff1Work(s)), 4));
      d.put(
          "Device Rejected%",
          new ApiReply.Fixed(percent(s.rejectedShares() * difficulty, diff1Work(s)), 4));
      d.put("Device Elapsed", elapsedSeconds(s));
      devs.add(d);
    }
    return success(9, CHAINS + " ASC(s)").section("DEVS", devs);
  }

  private ApiReply pools() {
    SimulatedRig.State s = rig.state();
    double difficulty = poolDifficulty();
    Map<String, Object> p = new LinkedHashMap<>();
    p.put("POOL", 0);
    p.put("URL", "stratum+tcp://127.0.0.1:3333");
    p.put("Status", "Alive");
    p.put("Priority", 0);
    p.put("Quota", 1);
    p.put("Long Poll", "N");
    p.put("Getworks", (long) (s.elapsedS() / 30) + 1);
    p.put("Accepted", s.acceptedShares());
    p.put("Rejected", s.rejectedShares());
    p.put("Works", (long) diff1Work(s));
    p.put("Discarded", (long) (s.elapsedS() * 2));
    p.put("Stale", 0);
    p.put("Get Failures", 0);
    p.put("Remote Failures", 0);
    p.put("User", "flexrig." + rig.rigId());
    p.put("Last Share Time", when());
    p.put("Diff", String.format(Locale.ROOT, "%.0fK", difficulty / 1024));
    p.put("Diff1 Shares", (long) diff1Work(s));
    p.put("Proxy Type", "");
    p.put("Proxy", "");
    p.put("Difficulty Accepted", new ApiReply.Fixed(s.acceptedShares() * difficulty, 8));
    p.put("Difficulty Rejected", new ApiReply.Fixed(s.rejectedShares() * difficulty, 8));
    p.put("Difficulty Stale", new ApiReply.Fixed(0, 8));
    p.put("Last Share Difficulty", new ApiReply.Fixed(difficulty, 8));
    p.put("Work Difficulty", new ApiReply.Fixed(difficulty, 8));
    p.put("Has Stratum", true);
    p.put("Stratum Active", true);
    p.put("Stratum URL", "127.0.0.1");
    p.put("Stratum Difficulty", new ApiReply.Fixed(difficulty, 8));
    p.put("Has GBT", false);
    p.put("Best Share", (long) (difficulty * 37));
    p.put(
        "Pool Rejected%",
        new ApiReply.Fixed(
            percent(s.rejectedShares(), s.acceptedShares() + s.rejectedShares()), 4));
    p.put("Pool Stale%", new ApiReply.Fixed(0, 4));
    p.put("Bad Work", 0);
    p.put("Current Block Height", 925_000 + (long) (s.elapsedS() / 600));
    p.put("Current Block Version", 536870912);
    return success(7, "1 Pool(s)").section("POOLS", List.of(p));
  }

  private ApiReply power() {
    Map<String, Object> p = new LinkedHashMap<>();
    p.put("Watts", Math.round(rig.powerW()));
    p.put("PSU", true);
    return success(CODE_POWER, "Power").section("POWER", List.of(p));
  }

  private ApiReply powerTarget(String parameter) {
    String value = lastToken(parameter);
    if (value.isEmpty()) {
      return error(CODE_MISSING_PARAMETER, "Missing parameter: power target in watts");
    }
    double watts;
    try {
      watts = Double.parseDouble(value);
    } catch (NumberFormatException e) {
      return error(CODE_POWER_TARGET_REJECTED, "Invalid power target '" + value + "'");
    }
    try {
      rig.setPowerTargetW(watts);
    } catch (IllegalArgumentException e) {
      return error(CODE_POWER_TARGET_REJECTED, e.getMessage());
    }
    Map<String, Object> p = new LinkedHashMap<>();
    p.put("PowerTarget", Math.round(watts));
    return success(CODE_POWER_TARGET_SET, "Power target set to " + Math.round(watts) + " W")
        .section("POWERTARGET", List.of(p));
  }

  private ApiReply curtail(String parameter) {
    // LuxOS takes "session_id,sleep"; the simulator has no sessions and reads the last token.
    String mode = lastToken(parameter).toLowerCase(Locale.ROOT);
    switch (mode) {
      case "sleep" -> rig.sleep();
      case "wakeup", "wake" -> rig.wake();
      case "" -> {
        return error(CODE_MISSING_PARAMETER, "Missing parameter: sleep or wakeup");
      }
      default -> {
        return error(CODE_CURTAIL_REJECTED, "Invalid curtail mode '" + mode + "'");
      }
    }
    Map<String, Object> c = new LinkedHashMap<>();
    c.put("Mode", mode.equals("sleep") ? "sleep" : "wakeup");
    return success(CODE_CURTAIL, "Curtail " + c.get("Mode") + " accepted")
        .section("CURTAIL", List.of(c));
  }

  private static String lastToken(String parameter) {
    String p = parameter == null ? "" : parameter.trim();
    int comma = p.lastIndexOf(',');
    return (comma < 0 ? p : p.substring(comma + 1)).trim();
  }

  private static String sensorQuad(int hottest, int inletDelta) {
    if (hottest == 0) {
      return "0-0-0-0";
    }
    int inlet = hottest - inletDelta;
    return inlet + "-" + inlet + "-" + hottest + "-" + hottest;
  }

  private static double[] chainShares() {
    return new double[] {0.336, 0.333, 0.331};
  }

  private String minerId() {
    return String.format(Locale.ROOT, "%016x", (long) rig.rigId().hashCode() * 0x9E3779B97F4A7C15L);
  }

  // Whole seconds, robust to the rounding of summed 0.1 s ticks.
  private static long elapsedSeconds(SimulatedRig.State s) {
    return (long) (s.elapsedS() + 1e-6);
  }

  private static double poolDifficulty() {
    return 65_536;
  }

  private static double averageThs(SimulatedRig.State s) {
    return s.elapsedS() > 0 ? s.totalTeraHashes() / s.elapsedS() : s.hashrateThs();
  }

  private static double diff1Work(SimulatedRig.State s) {
    return s.totalTeraHashes() * 1e12 / 4_294_967_296.0;
  }

  private static double percent(double part, double whole) {
    return whole > 0 ? 100 * part / whole : 0;
  }

  private static ApiReply.Fixed mhs(double ths) {
    return new ApiReply.Fixed(ths * 1e6, 2);
  }

  private long when() {
    return clock.instant().getEpochSecond();
  }

  private ApiReply success(int code, String msg) {
    return ApiReply.success(when(), code, msg, DESCRIPTION);
  }

  private ApiReply error(int code, String msg) {
    return ApiReply.error(when(), code, msg, DESCRIPTION);
  }

  private static String stripTerminators(String request) {
    int end = request.length();
    while (end > 0) {
      char c = request.charAt(end - 1);
      if (c == '\0' || c == '\n' || c == '\r' || c == ' ') {
        end--;
      } else {
        break;
      }
    }
    int start = 0;
    while (start < end && Character.isWhitespace(request.charAt(start))) {
      start++;
    }
    return request.substring(start, end);
  }
}
