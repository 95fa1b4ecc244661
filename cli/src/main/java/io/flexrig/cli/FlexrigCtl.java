package io.flexrig.cli;

import com.google.protobuf.InvalidProtocolBufferException;
import com.google.protobuf.MessageOrBuilder;
import com.google.protobuf.util.JsonFormat;
import io.grpc.ChannelCredentials;
import io.grpc.CompositeChannelCredentials;
import io.grpc.InsecureChannelCredentials;
import io.grpc.StatusRuntimeException;
import io.grpc.TlsChannelCredentials;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.Map;
import java.util.Properties;
import java.util.logging.Level;
import java.util.logging.Logger;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.ScopeType;
import picocli.CommandLine.Spec;

/**
 * {@code flexrigctl}: the grid and site operators' command line for the fleet controller's
 * GridService. Run {@link #main} or, embedded and in tests, {@link #run}.
 */
@Command(
    name = "flexrigctl",
    mixinStandardHelpOptions = true,
    versionProvider = FlexrigCtl.Version.class,
    sortOptions = false,
    usageHelpAutoWidth = true,
    description =
        "Command-line client of the Flexrig fleet controller's GridService: site status and"
            + " demand-response (curtailment) events.",
    footerHeading = "%n",
    footer = {
      "Examples:",
      "  flexrigctl --plaintext site status --site site-1",
      "  flexrigctl --plaintext event create --site site-1 --reduce-by-kw 500 \\",
      "      --start-in 5m --response 10m --duration 1h --program ERCOT-ERS",
      "  flexrigctl --plaintext event list --site site-1 --json",
      "  flexrigctl --plaintext event watch EVENT_ID",
      "  flexrigctl --plaintext event modify EVENT_ID --cap-kw 1800 --end-in 30m",
      "  flexrigctl --plaintext event report EVENT_ID --csv event.csv --svg event.svg",
      "",
      "Environment:",
      "  FLEXRIG_CONTROLLER  the controller's host:port when --controller is not given",
      "",
      ExitCodes.HELP
    })
public final class FlexrigCtl implements Runnable {

  static final String ENV_CONTROLLER = "FLEXRIG_CONTROLLER";
  private static final Logger GRPC_LOG = Logger.getLogger("io.grpc");

  @Option(
      names = "--controller",
      paramLabel = "HOST:PORT",
      scope = ScopeType.INHERIT,
      description =
          "The controller's GridService (default: $" + ENV_CONTROLLER + ", else 127.0.0.1:7443).")
  private String controller;

  @Option(
      names = "--plaintext",
      scope = ScopeType.INHERIT,
      description = "No TLS (development controllers only).")
  private boolean plaintext;

  @Option(
      names = "--ca",
      paramLabel = "PEM",
      scope = ScopeType.INHERIT,
      description = "CA certificate(s) to trust for the controller (default: the system's).")
  private Path ca;

  @Option(
      names = "--cert",
      paramLabel = "PEM",
      scope = ScopeType.INHERIT,
      description = "Client certificate chain for mutual TLS (with --key).")
  private Path cert;

  @Option(
      names = "--key",
      paramLabel = "PEM",
      scope = ScopeType.INHERIT,
      description = "Private key (PKCS#8 PEM) of --cert.")
  private Path key;

  @Option(
      names = "--token-file",
      paramLabel = "FILE",
      scope = ScopeType.INHERIT,
      description = "File holding a bearer token sent with every call.")
  private Path tokenFile;

  @Option(
      names = "--timeout",
      paramLabel = "DURATION",
      defaultValue = "10s",
      scope = ScopeType.INHERIT,
      converter = DurationConverter.class,
      description = "Deadline of each call (default: ${DEFAULT-VALUE}).")
  private Duration timeout;

  @Option(
      names = "--json",
      scope = ScopeType.INHERIT,
      description = "Print protobuf JSON, one document per line.")
  private boolean json;

  @Spec private CommandSpec spec;

  private final Map<String, String> env;
  private final Clock clock;

  FlexrigCtl(Map<String, String> env, Clock clock) {
    this.env = env;
    this.clock = clock;
  }

  public static void main(String[] args) {
    // Failures reach the operator as one line with an exit code; gRPC's own log would add noise.
    GRPC_LOG.setLevel(Level.OFF);
    PrintWriter out = new PrintWriter(System.out, true, StandardCharsets.UTF_8);
    PrintWriter err = new PrintWriter(System.err, true, StandardCharsets.UTF_8);
    int code = run(args, out, err, System.getenv(), Clock.systemUTC());
    out.flush();
    err.flush();
    System.exit(code);
  }

  /** Runs one command line and returns its exit code (see {@link ExitCodes}). */
  public static int run(
      String[] args, PrintWriter out, PrintWriter err, Map<String, String> env, Clock clock) {
    return commandLine(out, err, env, clock).execute(args);
  }

  static CommandLine commandLine(
      PrintWriter out, PrintWriter err, Map<String, String> env, Clock clock) {
    FlexrigCtl root = new FlexrigCtl(env, clock);
    CommandLine cli = new CommandLine(root);
    cli.addSubcommand(
        group("site", "The site as the controller sees it.", new SiteStatusCommand(root)));
    cli.addSubcommand(
        group(
            "price",
            "Price-driven dispatch: price in force, strike prices, rigs curtailed.",
            new PriceStatusCommand(root)));
    cli.addSubcommand(
        group(
            "event",
            "Curtailment events: create, modify, list, inspect, cancel, watch, report.",
            new EventCreateCommand(root),
            new EventModifyCommand(root),
            new EventListCommand(root),
            new EventStatusCommand(root),
            new EventCancelCommand(root),
            new EventWatchCommand(root),
            new EventReportCommand(root)));
    // `source <(flexrigctl generate-completion)` in bash or zsh
    cli.addSubcommand(new picocli.AutoComplete.GenerateCompletion());
    cli.setOut(out);
    cli.setErr(err);
    cli.setParameterExceptionHandler(FlexrigCtl::usageError);
    cli.setExecutionExceptionHandler(
        (e, commandLine, parseResult) -> {
          PrintWriter w = commandLine.getErr();
          int code;
          if (e instanceof StatusRuntimeException s) {
            w.println(
                "flexrigctl: " + CallFailure.message(s, root.addressText(), root.timeoutText()));
            code = ExitCodes.of(s.getStatus().getCode());
          } else if (e instanceof LocalFailure f) {
            w.println("flexrigctl: " + f.getMessage());
            code = ExitCodes.FAILURE;
          } else {
            throw e;
          }
          w.flush();
          return code;
        });
    return cli;
  }

  private static CommandLine group(String name, String description, Object... subcommands) {
    CommandLine group = new CommandLine(new Group(name));
    group.getCommandSpec().name(name).usageMessage().description(description);
    for (Object sub : subcommands) {
      group.addSubcommand(sub);
    }
    return group;
  }

  private static int usageError(ParameterException e, String[] args) {
    CommandLine cl = e.getCommandLine();
    PrintWriter w = cl.getErr();
    w.println("flexrigctl: " + e.getMessage());
    w.println("Try '" + cl.getCommandSpec().qualifiedName() + " --help'.");
    w.flush();
    return ExitCodes.USAGE;
  }

  @Override
  public void run() {
    throw new ParameterException(spec.commandLine(), "missing command: site, price or event");
  }

  // ---- what the subcommands share ----

  Clock clock() {
    return clock;
  }

  boolean json() {
    return json;
  }

  HumanFormat format() {
    return new HumanFormat(clock);
  }

  Duration timeout() {
    return timeout;
  }

  /** The command's standard output. */
  PrintWriter out() {
    return spec.commandLine().getOut();
  }

  /** Prints one message as one line of protobuf JSON. */
  void printJson(MessageOrBuilder message) {
    try {
      out().println(JSON.print(message));
      out().flush();
    } catch (InvalidProtocolBufferException e) {
      throw new IllegalStateException("cannot print " + message.getClass().getSimpleName(), e);
    }
  }

  private static final JsonFormat.Printer JSON =
      JsonFormat.printer().alwaysPrintFieldsWithNoPresence().omittingInsignificantWhitespace();

  String addressText() {
    return controller != null
        ? controller
        : env.getOrDefault(ENV_CONTROLLER, ControllerAddress.DEFAULT);
  }

  private String timeoutText() {
    if (timeout == null) {
      return "?";
    }
    return timeout.compareTo(Duration.ofSeconds(1)) < 0
        ? timeout.toMillis() + "ms"
        : HumanDuration.format(timeout);
  }

  /** Opens a channel to the controller, validating the connection options first. */
  GridConnection connect(CommandSpec command) {
    ControllerAddress address;
    try {
      address = ControllerAddress.parse(addressText());
    } catch (IllegalArgumentException e) {
      throw new ParameterException(command.commandLine(), "--controller: " + e.getMessage());
    }
    if (timeout.isZero() || timeout.isNegative()) {
      throw new ParameterException(command.commandLine(), "--timeout must be > 0");
    }
    return new GridConnection(address, credentials(command, address), timeout, userAgent());
  }

  private ChannelCredentials credentials(CommandSpec command, ControllerAddress address) {
    if ((cert == null) != (key == null)) {
      throw new ParameterException(command.commandLine(), "--cert and --key go together");
    }
    if (plaintext && (ca != null || cert != null)) {
      throw new ParameterException(
          command.commandLine(), "--ca, --cert and --key need TLS; drop --plaintext");
    }
    if (plaintext && tokenFile != null && !address.isLoopback()) {
      throw new ParameterException(
          command.commandLine(),
          "--token-file over --plaintext is allowed to a loopback controller only");
    }
    ChannelCredentials channel;
    if (plaintext) {
      channel = InsecureChannelCredentials.create();
    } else {
      TlsChannelCredentials.Builder tls = TlsChannelCredentials.newBuilder();
      try {
        if (ca != null) {
          tls.trustManager(ca.toFile());
        }
        if (cert != null) {
          tls.keyManager(cert.toFile(), key.toFile());
        }
      } catch (IOException | RuntimeException e) {
        throw new LocalFailure("cannot load TLS material: " + describe(e), e);
      }
      channel = tls.build();
    }
    if (tokenFile == null) {
      return channel;
    }
    String token;
    try {
      token = Files.readString(tokenFile, StandardCharsets.UTF_8).strip();
    } catch (IOException | UncheckedIOException e) {
      throw new LocalFailure("cannot read --token-file " + tokenFile + ": " + describe(e), e);
    }
    try {
      return CompositeChannelCredentials.create(channel, new BearerToken(token));
    } catch (IllegalArgumentException e) {
      throw new LocalFailure("--token-file " + tokenFile + ": " + e.getMessage(), e);
    }
  }

  private static String describe(Exception e) {
    return e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
  }

  private static String userAgent() {
    return "flexrigctl/" + Version.number();
  }

  /** Picocli's converter for {@link HumanDuration}. */
  static final class DurationConverter implements CommandLine.ITypeConverter<Duration> {
    @Override
    public Duration convert(String value) {
      try {
        return HumanDuration.parse(value);
      } catch (IllegalArgumentException e) {
        throw new CommandLine.TypeConversionException(e.getMessage());
      }
    }
  }

  /** The version recorded at build time. */
  static final class Version implements CommandLine.IVersionProvider {
    static String number() {
      try (InputStream in = FlexrigCtl.class.getResourceAsStream("version.properties")) {
        if (in == null) {
          return "unknown";
        }
        Properties p = new Properties();
        p.load(in);
        return p.getProperty("version", "unknown");
      } catch (IOException e) {
        return "unknown";
      }
    }

    @Override
    public String[] getVersion() {
      return new String[] {
        "flexrigctl " + number(), "JVM ${java.version} (${java.vendor}), ${os.name} ${os.arch}"
      };
    }
  }

  /** A command group: a name and its subcommands, nothing to run by itself. */
  @Command(mixinStandardHelpOptions = true)
  static final class Group implements Runnable {
    @Spec private CommandSpec spec;
    private final String name;

    Group(String name) {
      this.name = name;
    }

    @Override
    public void run() {
      throw new ParameterException(
          spec.commandLine(),
          "missing subcommand of '"
              + name
              + "': "
              + String.join(", ", spec.subcommands().keySet()));
    }
  }
}
