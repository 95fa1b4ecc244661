package io.flexrig.agent.source.cgminer;

import io.flexrig.agent.source.Reading;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Turns cgminer-family replies (cgminer, bmminer/Antminer, LuxOS, Braiins-compatible) into
 * readings. Pure: text in, readings out.
 */
public final class CgminerReplies {
  /** Hashrate over the last 5 seconds, TH/s. */
  public static final String HASHRATE_5S = "miner.hashrate_5s";

  public static final String HASHRATE_1M = "miner.hashrate_1m";
  public static final String HASHRATE_AV = "miner.hashrate_av";
  public static final String ACCEPTED = "miner.accepted";
  public static final String REJECTED = "miner.rejected";
  public static final String HW_ERRORS = "miner.hw_errors";

  /** Hottest chip of all hash boards, C. */
  public static final String CHIP_TEMP_MAX = "miner.chip_temp_max";

  public static final String PCB_TEMP_MAX = "miner.pcb_temp_max";

  /** How many of the {@code fan_num} fans the firmware counts do not turn. */
  public static final String FANS_STOPPED = "miner.fans_stopped";

  /** Input power as the miner's firmware reports it, W. */
  public static final String POWER = "miner.power";

  private static final Pattern FAN = Pattern.compile("fan(\\d+)");
  private static final Pattern CHIP_TEMPS = Pattern.compile("temp_chip(\\d+)");
  private static final Pattern PCB_TEMPS = Pattern.compile("temp_pcb(\\d+)");
  // Older bmminer (S9): temp2_N is the chip temperature of chain N, tempN its PCB.
  private static final Pattern OLD_CHIP_TEMP = Pattern.compile("temp2_(\\d+)");
  private static final Pattern OLD_PCB_TEMP = Pattern.compile("temp(\\d+)");

  private CgminerReplies() {}

  /**
   * Parses a reply and checks its STATUS; a refusal ("E" or "F") becomes a {@link
   * CgminerCommandException}.
   */
  public static Map<String, Object> parse(String command, String reply)
      throws CgminerProtocolException {
    Object root = LenientJson.parse(reply);
    if (root instanceof List<?> several && !several.isEmpty()) {
      root = several.getFirst();
    }
    if (!(root instanceof Map<?, ?> map)) {
      throw new CgminerProtocolException("reply to '" + command + "' is not a JSON object");
    }
    @SuppressWarnings("unchecked")
    Map<String, Object> object = (Map<String, Object>) map;
    checkStatus(command, object);
    return object;
  }

  private static void checkStatus(String command, Map<String, Object> reply)
      throws CgminerProtocolException {
    Object status = reply.get("STATUS");
    String code;
    int number = 0;
    String message = "";
    if (status instanceof List<?> list
        && !list.isEmpty()
        && list.getFirst() instanceof Map<?, ?> s) {
      code = String.valueOf(s.get("STATUS"));
      number = (int) numberOr(s.get("Code"), 0);
      message = s.get("Msg") == null ? "" : String.valueOf(s.get("Msg"));
    } else if (status instanceof String s) { // Whatsminer btminer style
      code = s;
      message = reply.get("Msg") == null ? "" : String.valueOf(reply.get("Msg"));
    } else {
      throw new CgminerProtocolException("reply to '" + command + "' has no STATUS");
    }
    if (code.equals("E") || code.equals("F") || code.equals("error")) {
      throw new CgminerCommandException(command, code, number, message);
    }
  }

  /** {@code summary}: hashrates (MHS, GHS or THS, any of them) and share counters. */
  public static List<Reading> summary(String reply, Instant readAt)
      throws CgminerProtocolException {
    Map<String, Object> s = firstSection(parse("summary", reply), "SUMMARY", "summary");
    List<Reading> out = new ArrayList<>(6);
    addHashrate(out, s, HASHRATE_5S, "5s", readAt);
    addHashrate(out, s, HASHRATE_1M, "1m", readAt);
    addHashrate(out, s, HASHRATE_AV, "av", readAt);
    addCount(out, s, ACCEPTED, "Accepted", readAt);
    addCount(out, s, REJECTED, "Rejected", readAt);
    addCount(out, s, HW_ERRORS, "Hardware Errors", readAt);
    addWhatsminerSummary(out, s, readAt);
    return out;
  }

  /**
   * Whether a summary comes from Whatsminer's btminer, which reports power, fans and chip
   * temperatures there and has no Antminer-style {@code stats}.
   */
  public static boolean isWhatsminerSummary(String reply) {
    return reply.contains("\"Power_RT\"")
        || reply.contains("\"Fan Speed In\"")
        || reply.contains("btminer");
  }

  // btminer: "Power_RT" is the PSU's real-time input power, "Power" the older name of it.
  private static void addWhatsminerSummary(
      List<Reading> out, Map<String, Object> s, Instant readAt) {
    String powerKey =
        s.containsKey("Power_RT") ? "Power_RT" : s.containsKey("Power") ? "Power" : null;
    if (powerKey != null) {
      out.add(positive(POWER, numberOr(s.get(powerKey), Double.NaN), "W", readAt));
    }
    if (s.containsKey("Fan Speed In")) {
      out.add(positive("miner.fan1", numberOr(s.get("Fan Speed In"), Double.NaN), "rpm", readAt));
    }
    if (s.containsKey("Fan Speed Out")) {
      out.add(positive("miner.fan2", numberOr(s.get("Fan Speed Out"), Double.NaN), "rpm", readAt));
    }
    if (s.containsKey("Chip Temp Max")) {
      out.add(positive(CHIP_TEMP_MAX, numberOr(s.get("Chip Temp Max"), Double.NaN), "C", readAt));
    }
    if (s.containsKey("Temperature")) {
      out.add(positive(PCB_TEMP_MAX, numberOr(s.get("Temperature"), Double.NaN), "C", readAt));
    }
  }

  /**
   * {@code devs} / {@code edevs} (Whatsminer btminer): one record per hash board with its {@code
   * Slot}, {@code Chip Temp Max} and board {@code Temperature}; boards are numbered from 1 like
   * Antminer chains.
   */
  public static List<Reading> devs(String command, String reply, Instant readAt)
      throws CgminerProtocolException {
    Map<String, Object> root = parse(command, reply);
    List<Reading> out = new ArrayList<>();
    List<Map<String, Object>> boards = sections(root, "DEVS");
    for (int i = 0; i < boards.size(); i++) {
      Map<String, Object> b = boards.get(i);
      double slot = numberOr(b.get("Slot"), numberOr(b.get("ASC"), i));
      String chain = "miner.chain" + ((int) slot + 1);
      if (b.containsKey("Chip Temp Max")) {
        out.add(
            positive(
                chain + ".chip_temp_max",
                numberOr(b.get("Chip Temp Max"), Double.NaN),
                "C",
                readAt));
      }
      if (b.containsKey("Temperature")) {
        out.add(
            positive(
                chain + ".pcb_temp_max", numberOr(b.get("Temperature"), Double.NaN), "C", readAt));
      }
    }
    return out;
  }

  private static Reading positive(String name, double value, String unit, Instant readAt) {
    return Double.isFinite(value) && value > 0
        ? Reading.good(name, value, unit, readAt)
        : Reading.bad(name, unit, readAt);
  }

  /**
   * {@code stats}: per-chain chip and PCB temperatures and fan speeds from the Antminer section
   * (the one with {@code fan_num} or {@code temp_num}); chains reporting 0 are absent.
   */
  public static List<Reading> stats(String reply, Instant readAt) throws CgminerProtocolException {
    Map<String, Object> root = parse("stats", reply);
    List<Reading> out = new ArrayList<>();
    double chipMax = Double.NEGATIVE_INFINITY;
    double pcbMax = Double.NEGATIVE_INFINITY;
    for (Map<String, Object> section : sections(root, "STATS")) {
      int turning = 0;
      for (Map.Entry<String, Object> e : section.entrySet()) {
        String key = e.getKey();
        Matcher m;
        if (key.startsWith("MM ID") && e.getValue() instanceof String mm) {
          double[] maxima = avalonModule(out, key.substring(5).strip(), mm, readAt);
          chipMax = Math.max(chipMax, maxima[0]);
          continue;
        }
        if ((m = FAN.matcher(key)).matches()) {
          double rpm = numberOr(e.getValue(), Double.NaN);
          if (rpm > 0) {
            out.add(Reading.good("miner.fan" + m.group(1), rpm, "rpm", readAt));
            turning++;
          }
        } else if ((m = CHIP_TEMPS.matcher(key)).matches()) {
          double t = maxOfDashed(e.getValue());
          if (t > 0) {
            out.add(Reading.good("miner.chain" + m.group(1) + ".chip_temp_max", t, "C", readAt));
            chipMax = Math.max(chipMax, t);
          }
        } else if ((m = PCB_TEMPS.matcher(key)).matches()) {
          double t = maxOfDashed(e.getValue());
          if (t > 0) {
            out.add(Reading.good("miner.chain" + m.group(1) + ".pcb_temp_max", t, "C", readAt));
            pcbMax = Math.max(pcbMax, t);
          }
        } else if ((m = OLD_CHIP_TEMP.matcher(key)).matches()
            && !section.containsKey("temp_chip" + m.group(1))) {
          double t = numberOr(e.getValue(), 0);
          if (t > 0) {
            out.add(Reading.good("miner.chain" + m.group(1) + ".chip_temp_max", t, "C", readAt));
            chipMax = Math.max(chipMax, t);
          }
        } else if ((m = OLD_PCB_TEMP.matcher(key)).matches()
            && !section.containsKey("temp_pcb" + m.group(1))) {
          double t = numberOr(e.getValue(), 0);
          if (t > 0) {
            out.add(Reading.good("miner.chain" + m.group(1) + ".pcb_temp_max", t, "C", readAt));
            pcbMax = Math.max(pcbMax, t);
          }
        }
      }
      // Empty fan slots also read 0, so a stopped fan shows only as fewer turning than fan_num.
      double fanNum = numberOr(section.get("fan_num"), Double.NaN);
      if (fanNum > 0) {
        out.add(Reading.good(FANS_STOPPED, Math.max(0, fanNum - turning), "", readAt));
      }
    }
    if (chipMax > Double.NEGATIVE_INFINITY) {
      out.add(Reading.good(CHIP_TEMP_MAX, chipMax, "C", readAt));
    } else {
      out.add(Reading.bad(CHIP_TEMP_MAX, "C", readAt));
    }
    if (pcbMax > Double.NEGATIVE_INFINITY) {
      out.add(Reading.good(PCB_TEMP_MAX, pcbMax, "C", readAt));
    }
    return out;
  }

  /**
   * One Avalon hash module's status string: board chip temperatures from {@code MTmax}, the
   * module's hottest chip {@code TMax}, inlet {@code Temp}, fans {@code Fan1..n}, and wall power
   * from {@code WALLPOWER} or, on firmwares without it, the seventh {@code PS} value.
   *
   * @return the hottest chip temperature seen, or -infinity
   */
  private static double[] avalonModule(
      List<Reading> out, String moduleId, String mm, Instant readAt) {
    Map<String, List<String>> st = AvalonStatus.parse(mm);
    double hottest = Double.NEGATIVE_INFINITY;
    List<String> boards = st.getOrDefault("MTmax", List.of());
    for (int b = 0; b < boards.size(); b++) {
      double t = AvalonStatus.number(st, "MTmax", b);
      if (t > 0) {
        // Modern Avalons have one module (ID 0); older multi-module ones keep boards apart.
        String chain = moduleId.equals("0") ? "miner.chain" : "miner.mm" + moduleId + ".chain";
        out.add(Reading.good(chain + (b + 1) + ".chip_temp_max", t, "C", readAt));
        hottest = Math.max(hottest, t);
      }
    }
    double tmax = AvalonStatus.number(st, "TMax", 0);
    if (tmax > 0) {
      hottest = Math.max(hottest, tmax);
    }
    double inlet = AvalonStatus.number(st, "Temp", 0);
    if (Double.isFinite(inlet)) {
      out.add(Reading.good("miner.inlet_temp", inlet, "C", readAt));
    }
    for (int f = 1; st.containsKey("Fan" + f); f++) {
      double rpm = AvalonStatus.number(st, "Fan" + f, 0);
      if (rpm > 0) {
        out.add(Reading.good("miner.fan" + f, rpm, "rpm", readAt));
      }
    }
    double watts = AvalonStatus.number(st, "WALLPOWER", 0);
    if (!(watts > 0)) {
      watts = AvalonStatus.number(st, "PS", 6);
    }
    if (st.containsKey("WALLPOWER") || st.containsKey("PS")) {
      out.add(positive(POWER, watts, "W", readAt));
    }
    return new double[] {hottest};
  }

  /** {@code power} (LuxOS): {@code "POWER":[{"Watts":3050,"PSU":true}]}. */
  public static List<Reading> power(String reply, Instant readAt) throws CgminerProtocolException {
    Map<String, Object> p = firstSection(parse("power", reply), "POWER", "power");
    double watts = numberOr(p.get("Watts"), Double.NaN);
    if (!Double.isFinite(watts) || watts < 0) {
      return List.of(Reading.bad(POWER, "W", readAt));
    }
    return List.of(Reading.good(POWER, watts, "W", readAt));
  }

  private static void addHashrate(
      List<Reading> out, Map<String, Object> s, String name, String window, Instant readAt) {
    double ths = Double.NaN;
    if (s.containsKey("MHS " + window)) {
      ths = numberOr(s.get("MHS " + window), Double.NaN) / 1e6;
    } else if (s.containsKey("GHS " + window)) {
      ths = numberOr(s.get("GHS " + window), Double.NaN) / 1e3;
    } else if (s.containsKey("THS " + window)) {
      ths = numberOr(s.get("THS " + window), Double.NaN);
    } else {
      return;
    }
    out.add(
        Double.isFinite(ths) && ths >= 0
            ? Reading.good(name, ths, "TH/s", readAt)
            : Reading.bad(name, "TH/s", readAt));
  }

  private static void addCount(
      List<Reading> out, Map<String, Object> s, String name, String key, Instant readAt) {
    if (s.containsKey(key)) {
      double v = numberOr(s.get(key), Double.NaN);
      out.add(
          Double.isFinite(v) ? Reading.good(name, v, "", readAt) : Reading.bad(name, "", readAt));
    }
  }

  private static Map<String, Object> firstSection(Map<String, Object> root, String... keys)
      throws CgminerProtocolException {
    for (String key : keys) {
      List<Map<String, Object>> sections = sections(root, key);
      if (!sections.isEmpty()) {
        return sections.getFirst();
      }
    }
    throw new CgminerProtocolException("reply has no " + keys[0] + " section");
  }

  @SuppressWarnings("unchecked")
  private static List<Map<String, Object>> sections(Map<String, Object> root, String key) {
    List<Map<String, Object>> out = new ArrayList<>();
    if (root.get(key) instanceof List<?> list) {
      for (Object o : list) {
        if (o instanceof Map<?, ?> m) {
          out.add((Map<String, Object>) m);
        }
      }
    } else if (root.get(key) instanceof Map<?, ?> m) {
      out.add((Map<String, Object>) m);
    }
    return out;
  }

  /** Antminer S19 reports chip temperatures of a chain as {@code "59-64-65-61"}. */
  private static double maxOfDashed(Object value) {
    if (value instanceof Double d) {
      return d;
    }
    if (!(value instanceof String s) || s.isBlank()) {
      return 0;
    }
    double max = 0;
    for (String part : s.split("-")) {
      try {
        max = Math.max(max, Double.parseDouble(part.strip()));
      } catch (NumberFormatException ignored) {
        // a chain with a broken sensor reports garbage in its slot; the others still count
      }
    }
    return max;
  }

  /** Numbers arrive as JSON numbers or as strings, sometimes with thousands separators. */
  static double numberOr(Object value, double fallback) {
    if (value instanceof Double d) {
      return d;
    }
    if (value instanceof String s) {
      try {
        return Double.parseDouble(s.replace(",", "").strip());
      } catch (NumberFormatException e) {
        return fallback;
      }
    }
    if (value instanceof Boolean) {
      return fallback;
    }
    return fallback;
  }
}
