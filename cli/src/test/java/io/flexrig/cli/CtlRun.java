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

  @Override
  public String toString() {
    return "exit " + exitCode + "\n--- out\n" + out + "--- err\n" + err;
  }
}
