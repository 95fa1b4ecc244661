package io.flexrig.agent.cli;

import io.flexrig.agent.RigAgent;
import java.io.PrintWriter;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.util.List;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/**
 * {@code flexrig-agent}: the rig agent's command line. {@code run} is what the systemd unit starts;
 * {@code probe}, {@code profile validate} and {@code status} are the technician's tools.
 */
@Command(
    name = "flexrig-agent",
    mixinStandardHelpOptions = true,
    versionProvider = FlexrigAgentCommand.Version.class,
    description =
        "The Flexrig rig agent: reads the rig, executes curtailment, reports to the fleet.",
    subcommands = {
      RunCommand.class,
      ProbeCommand.class,
      ProfileCommand.class,
      StatusCommand.class,
      CommandLine.HelpCommand.class
    },
    footer = {
      "",
      "Without a command, or with only a config file, it runs the agent:",
      "  flexrig-agent [CONFIG]  is  flexrig-agent run [CONFIG]",
      "",
      "Exit codes:",
      "  0  done (run: stopped by SIGTERM)",
      "  1  failed: the agent could not start, a probed sensor FAILED, a profile is invalid",
      "  2  usage or configuration error (no config file, an invalid setting)",
      "  3  status: no fresh status (the agent is not running or is stuck)"
    })
public final class FlexrigAgentCommand implements Runnable {
  public static final int OK = 0;
  public static final int FAILED = 1;
  public static final int CONFIG = 2;
  public static final int NOT_RUNNING = 3;

  /** The configuration file systemd's unit and a technician use by default. */
  public static final String DEFAULT_CONFIG = "/etc/flexrig/agent.yaml";

  private static final List<String> COMMANDS = List.of("run", "probe", "profile", "status", "help");

  @Spec CommandSpec spec;

  @Override
  public void run() {
    throw new CommandLine.ParameterException(spec.commandLine(), "Missing a command");
  }

  /** Runs the command line with the given output streams; returns the exit code. */
  public static int execute(String[] args, PrintWriter out, PrintWriter err) {
    Path plainRun = plainRun(args);
    if (plainRun != null) {
      try {
        return RunCommand.run(plainRun, err);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return FAILED;
      } finally {
        out.flush();
        err.flush();
      }
    }
    CommandLine cli = new CommandLine(new FlexrigAgentCommand());
    cli.setOut(out);
    cli.setErr(err);
    try {
      return cli.execute(compatible(args));
    } finally {
      out.flush();
      err.flush();
    }
  }

  /**
   * The config file of a plain {@code flexrig-agent CONFIG} or {@code flexrig-agent run CONFIG}
   * (what the systemd unit runs), else null. That path skips picocli: building its model of every
   * command loads about 300 classes (1-1.5 MiB of class metadata) that a running agent keeps for
   * nothing (bench/README.md, 3d). Anything else (options, other commands, no argument) goes to
   * picocli.
   */
  static Path plainRun(String[] args) {
    String[] run = compatible(args);
    if (run.length != 2 || !run[0].equals("run") || run[1].startsWith("-") || run[1].isEmpty()) {
      return null;
    }
    try {
      return Path.of(run[1]);
    } catch (InvalidPathException e) {
      return null; // picocli reports it
    }
  }

  /**
   * The command line before subcommands was {@code AgentMain [CONFIG]} (the systemd unit still says
   * {@code flexrig-agent /etc/flexrig/agent.yaml}): no arguments, or a first argument that is
   * neither an option nor a command, mean {@code run}.
   */
  static String[] compatible(String[] args) {
    if (args.length == 0) {
      return new String[] {"run"};
    }
    if (args[0].startsWith("-") || COMMANDS.contains(args[0])) {
      return args;
    }
    String[] run = new String[args.length + 1];
    run[0] = "run";
    System.arraycopy(args, 0, run, 1, args.length);
    return run;
  }

  /** {@code flexrig-agent 0.1.0 (Java 25.0.1)}. */
  static final class Version implements CommandLine.IVersionProvider {
    @Override
    public String[] getVersion() {
      return new String[] {
        "flexrig-agent " + RigAgent.VERSION + " (Java " + Runtime.version() + ")"
      };
    }
  }
}
