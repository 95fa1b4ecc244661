package io.flexrig.bench.footprint;

import java.lang.management.ManagementFactory;
import java.lang.management.MemoryPoolMXBean;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.management.ObjectName;
import org.eclipse.milo.opcua.sdk.client.ObjectTypeManager;
import org.eclipse.milo.opcua.sdk.client.VariableTypeManager;
import org.eclipse.milo.opcua.sdk.client.model.ObjectTypeInitializer;
import org.eclipse.milo.opcua.sdk.client.model.VariableTypeInitializer;
import org.eclipse.milo.opcua.stack.core.NamespaceTable;
import org.eclipse.milo.opcua.stack.core.types.DefaultDataTypeManager;

/**
 * What Milo 1.0.8's {@code OpcUaClient} constructor costs in class metadata for the parts the agent
 * never uses: the data type manager it fills with every structure codec of the standard ({@code
 * DefaultDataTypeManager.createAndInitialize}) and the client-side type model ({@code
 * ObjectTypeInitializer}/{@code VariableTypeInitializer}). Each step runs once in a fresh JVM and
 * prints the classes it loaded and the metaspace (+ compressed class space) it took; with {@code
 * -XX:NativeMemoryTracking=summary} also the symbol table's growth.
 *
 * <pre>
 * java -XX:NativeMemoryTracking=summary -XX:TieredStopAtLevel=1 \
 *   -cp "bench/target/classes:$(cat bench/target/agent.classpath)" \
 *   io.flexrig.bench.footprint.MiloClassCost
 * </pre>
 */
public final class MiloClassCost {
  private static final Pattern NMT_LINE =
      Pattern.compile("-\\s+(\\w[\\w ]*?) \\(reserved=(\\d+)KB, committed=(\\d+)KB\\)");

  private MiloClassCost() {}

  public static void main(String[] args) throws Exception {
    // the stack's basics first, so that each step counts only what it adds
    new NamespaceTable();
    Step.now(); // loads what measuring itself needs (management beans, NMT's command, regex)
    Step before = Step.now();
    DefaultDataTypeManager.createAndInitialize(new NamespaceTable());
    Step dataTypes = Step.now();
    ObjectTypeInitializer.initialize(new NamespaceTable(), new ObjectTypeManager());
    VariableTypeInitializer.initialize(new NamespaceTable(), new VariableTypeManager());
    Step typeModel = Step.now();
    print("DataTypeInitializer (every structure + codec)", before, dataTypes);
    print("Object/VariableTypeInitializer (type model)", dataTypes, typeModel);
    print("both", before, typeModel);
  }

  private static void print(String what, Step from, Step to) {
    System.out.printf(
        Locale.ROOT,
        "%-48s +%5d classes, metaspace+class space +%5.2f MiB, symbols +%s%n",
        what,
        to.classes - from.classes,
        (to.metaBytes - from.metaBytes) / 1048576.0,
        from.symbolKiB < 0
            ? "? (run with -XX:NativeMemoryTracking=summary)"
            : String.format(Locale.ROOT, "%.2f MiB", (to.symbolKiB - from.symbolKiB) / 1024.0));
  }

  private record Step(int classes, long metaBytes, long symbolKiB) {
    static Step now() {
      long meta = 0;
      for (MemoryPoolMXBean p : ManagementFactory.getMemoryPoolMXBeans()) {
        if (p.getName().equals("Metaspace") || p.getName().equals("Compressed Class Space")) {
          meta += p.getUsage().getUsed();
        }
      }
      return new Step(
          ManagementFactory.getClassLoadingMXBean().getLoadedClassCount(),
          meta,
          nmtCommittedKiB().getOrDefault("Symbol", -1L));
    }
  }

  /** NMT's committed KiB per category, empty unless the JVM runs with NMT. */
  private static Map<String, Long> nmtCommittedKiB() {
    Map<String, Long> out = new LinkedHashMap<>();
    try {
      String text =
          (String)
              ManagementFactory.getPlatformMBeanServer()
                  .invoke(
                      new ObjectName("com.sun.management:type=DiagnosticCommand"),
                      "vmNativeMemory",
                      new Object[] {new String[] {"summary"}},
                      new String[] {String[].class.getName()});
      Matcher m = NMT_LINE.matcher(text);
      while (m.find()) {
        out.put(m.group(1).trim(), Long.parseLong(m.group(3)));
      }
    } catch (Exception e) {
      // NMT off or not reachable: symbols are then reported as unknown
    }
    return out;
  }
}
