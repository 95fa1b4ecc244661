package io.flexrig.agent.cli;

import io.flexrig.agent.ProfileValidation;
import java.io.PrintWriter;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code flexrig-agent profile validate FILE...}. */
@Command(
    name = "profile",
    description = "Hardware profiles (one YAML file per rig model).",
    mixinStandardHelpOptions = true,
    subcommands = ProfileCommand.Validate.class)
final class ProfileCommand implements Runnable {
  @Spec CommandSpec spec;

  @Override
  public void run() {
    throw new picocli.CommandLine.ParameterException(
        spec.commandLine(), "Missing a command (validate)");
  }

  @Command(
      name = "validate",
      mixinStandardHelpOptions = true,
      description = {
        "Loads each profile and prints every error as file:line: field: message.",
        "Exit code 1 when any file is invalid."
      })
  static final class Validate implements Callable<Integer> {
    @Spec CommandSpec spec;

    @Parameters(arity = "1..*", paramLabel = "FILE", description = "hardware profile YAML files")
    List<String> files;

    @Override
    public Integer call() {
      PrintWriter out = spec.commandLine().getOut();
      PrintWriter err = spec.commandLine().getErr();
      return ProfileValidation.run(files.toArray(String[]::new), out, err);
    }
  }
}
