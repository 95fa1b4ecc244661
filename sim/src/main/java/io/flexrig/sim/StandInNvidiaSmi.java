package io.flexrig.sim;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Locale;

/**
 * Writes a stand-in {@code nvidia-smi} executable (a POSIX shell script with awk) for machines
 * without NVIDIA GPUs: it keeps each GPU's power limit in a state directory and answers the two
 * calls the agent makes, as the real tool does.
 *
 * <ul>
 *   <li>{@code nvidia-smi [-i <id>] -pl <watts>}: sets the limit of one or all GPUs; outside the
 *       card's range it prints the real tool's message and exits 2.
 *   <li>{@code nvidia-smi --query-gpu=<the agent's fields> --format=csv,noheader,nounits [--id=N]}:
 *       one CSV line per GPU; the draw follows the limit (a busy inference server runs at its
 *       limit), so a lowered limit shows in the telemetry.
 * </ul>
 *
 * <p>Put its directory first on the {@code PATH}, or name it in the sensor's {@code command}
 * option. {@code java -cp ... io.flexrig.sim.StandInNvidiaSmi <dir> [gpus] [tdp-w] [min-w]}
 * installs it.
 */
public final class StandInNvidiaSmi {
  /** The fields the script answers, in the order of the agent's {@code NvidiaSmiCsv.QUERY}. */
  public static final String QUERY =
      "index,name,power.draw,power.limit,temperature.gpu,utilization.gpu,clocks.sm,clocks.mem";

  private static final String SCRIPT =
      """
      #!/bin/sh
      # Stand-in nvidia-smi written by io.flexrig.sim.StandInNvidiaSmi (no GPU on this machine).
      STATE='@STATE@'
      GPUS=@GPUS@
      TDP=@TDP@
      MIN=@MIN@
      NAME='@NAME@'
      ids=""; pl=""; query=""; format=""; next=""
      for a in "$@"; do
        case "$next" in
          i) ids="$a"; next=""; continue ;;
          pl) pl="$a"; next=""; continue ;;
        esac
        case "$a" in
          -i) next=i ;;
          --id=*) ids="${a#--id=}" ;;
          -pl) next=pl ;;
          --power-limit=*) pl="${a#--power-limit=}" ;;
          --query-gpu=*) query="${a#--query-gpu=}" ;;
          --format=*) format="${a#--format=}" ;;
          *) echo "Invalid combination of input arguments: $a" >&2; exit 2 ;;
        esac
      done
      [ -n "$ids" ] || ids=$(awk -v n="$GPUS" 'BEGIN { for (i = 0; i < n; i++) printf "%s%d", (i ? "," : ""), i }')
      limit_of() { cat "$STATE/limit.$1" 2>/dev/null || echo "$TDP"; }
      if [ -n "$pl" ]; then
        ok=$(awk -v w="$pl" -v lo="$MIN" -v hi="$TDP" 'BEGIN { print (w + 0 == w && w >= lo && w <= hi) ? 1 : 0 }')
        for i in $(echo "$ids" | tr ',' ' '); do
          bus=$(printf '00000000:%02X:00.0' $((i + 1)))
          if [ "$ok" != 1 ]; then
            printf 'Provided power limit %.2f W is not a valid power limit which should be between %.2f W and %.2f W for GPU %s\\n' "$pl" "$MIN" "$TDP" "$bus" >&2
            echo "Terminating early due to previous errors." >&2
            exit 2
          fi
          old=$(limit_of "$i")
          echo "$pl" > "$STATE/limit.$i.tmp" && mv "$STATE/limit.$i.tmp" "$STATE/limit.$i"
          printf 'Power limit for GPU %s was set to %.2f W from %.2f W.\\n' "$bus" "$pl" "$old"
        done
        echo "All done."
        exit 0
      fi
      if [ -n "$query" ]; then
        if [ "$query" != '@QUERY@' ] || [ "$format" != "csv,noheader,nounits" ]; then
          echo "stand-in nvidia-smi answers only --query-gpu=@QUERY@ --format=csv,noheader,nounits" >&2
          exit 2
        fi
        for i in $(echo "$ids" | tr ',' ' '); do
          if [ "$i" -ge "$GPUS" ] 2>/dev/null; then
            echo "No devices were found" >&2; exit 6
          fi
          awk -v i="$i" -v name="$NAME" -v lim="$(limit_of "$i")" -v tdp="$TDP" 'BEGIN {
            draw = lim * 0.96
            printf "%d, %s, %.2f, %.2f, %d, %d, %d, %d\\n", i, name, draw, lim, 35 + 45 * draw / tdp, 98, 2520 * (0.6 + 0.4 * lim / tdp), 10501
          }'
        done
        exit 0
      fi
      echo "stand-in nvidia-smi: give -pl <watts> or --query-gpu=..." >&2
      exit 2
      """;

  private StandInNvidiaSmi() {}

  /**
   * Writes {@code dir/nvidia-smi} (executable) and its state directory {@code
   * dir/nvidia-smi.state}.
   *
   * @return the executable's path
   */
  public static Path install(Path dir, int gpus, String name, double tdpW, double minW)
      throws IOException {
    Path state = Files.createDirectories(dir.resolve("nvidia-smi.state"));
    String script =
        SCRIPT
            .replace("@STATE@", state.toAbsolutePath().toString())
            .replace("@GPUS@", Integer.toString(gpus))
            .replace("@TDP@", String.format(Locale.ROOT, "%.2f", tdpW))
            .replace("@MIN@", String.format(Locale.ROOT, "%.2f", minW))
            .replace("@NAME@", name)
            .replace("@QUERY@", QUERY);
    Path exe = dir.resolve("nvidia-smi");
    Files.writeString(exe, script, StandardCharsets.UTF_8);
    Files.setPosixFilePermissions(exe, PosixFilePermissions.fromString("rwxr-xr-x"));
    return exe;
  }

  /** The power limit last set on a GPU of a stand-in installed in {@code dir}, or the TDP. */
  public static double limitW(Path dir, int gpu, double tdpW) throws IOException {
    Path f = dir.resolve("nvidia-smi.state").resolve("limit." + gpu);
    return Files.exists(f) ? Double.parseDouble(Files.readString(f).strip()) : tdpW;
  }

  public static void main(String[] args) throws IOException {
    if (args.length < 1) {
      System.err.println("usage: StandInNvidiaSmi <dir> [gpus] [tdp-w] [min-w]");
      System.exit(2);
    }
    int gpus = args.length > 1 ? Integer.parseInt(args[1]) : 8;
    double tdp = args.length > 2 ? Double.parseDouble(args[2]) : 450;
    double min = args.length > 3 ? Double.parseDouble(args[3]) : 150;
    Path exe =
        install(
            Files.createDirectories(Path.of(args[0])), gpus, "NVIDIA GeForce RTX 4090", tdp, min);
    System.out.println(exe);
  }
}
