package io.flexrig.cli;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.time.Clock;
import java.util.Map;

/** One in-process run of flexrigctl: its exit code and what it printed. */
record CtlRun(int exitCode, String out, String err) {

  static CtlRun of(Map<String, String> env, String... args) {
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    int code =
        FlexrigCtl.run(
            args, new PrintWriter(out, true), new PrintWriter(err, true), env, Clock.systemUTC());
    return new CtlRun(code, out.toString(), err.toString());
  }

  /** Merges protobuf JSON (as {@code --json} prints it) into {@code builder}. */
  static <B extends com.google.protobuf.Message.Builder> B parse(String json, B builder) {
    try {
      com.google.protobuf.util.JsonFormat.parser().merge(json, builder);
      return builder;
    } catch (com.google.protobuf.InvalidProtocolBufferException e) {
      throw new AssertionError("not protobuf JSON: " + json, e);
    }
  }

  @Override
  public String toString() {
    return "exit " + exitCode + "\n--- out\n" + out + "--- err\n" + err;
  }
}
