package io.feathergate.launcher;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.management.HotSpotDiagnosticMXBean;
import com.sun.management.VMOption;
import java.lang.management.ManagementFactory;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import javax.management.ObjectName;
import org.junit.jupiter.api.Test;

class HeapDefaultsTest {
  /** A JVM's flags as the diagnostic bean shows them, with G1's check on the two ratios. */
  static final class FakeVm implements HotSpotDiagnosticMXBean {
    final Map<String, VMOption> options = new HashMap<>();

    FakeVm() {
      put("MinHeapFreeRatio", "40", VMOption.Origin.DEFAULT);
      put("MaxHeapFreeRatio", "70", VMOption.Origin.DEFAULT);
      put("G1PeriodicGCInterval", "0", VMOption.Origin.DEFAULT);
    }

    FakeVm put(String name, String value, VMOption.Origin origin) {
      options.put(name, new VMOption(name, value, true, origin));
      return this;
    }

    String value(String name) {
      return options.get(name).getValue();
    }

    @Override
    public VMOption getVMOption(String name) {
      VMOption option = options.get(name);
      if (option == null) {
        throw new IllegalArgumentException("VM option \"" + name + "\" does not exist");
      }
      return option;
    }

    @Override
    public void setVMOption(String name, String value) {
      int ratio = Integer.parseInt(value);
      if (name.equals("MaxHeapFreeRatio") && ratio < Integer.parseInt(value("MinHeapFreeRatio"))) {
        throw new IllegalArgumentException("MaxHeapFreeRatio below MinHeapFreeRatio");
      }
      if (name.equals("MinHeapFreeRatio") && ratio > Integer.parseInt(value("MaxHeapFreeRatio"))) {
        throw new IllegalArgumentException("MinHeapFreeRatio above MaxHeapFreeRatio");
      }
      put(name, value, VMOption.Origin.MANAGEMENT);
    }

    @Override
    public List<VMOption> getDiagnosticOptions() {
      return List.copyOf(options.values());
    }

    @Override
    public void dumpHeap(String outputFile, boolean live) {
      throw new UnsupportedOperationException();
    }

    @Override
    public ObjectName getObjectName() {
      throw new UnsupportedOperationException();
    }
  }

  @Test
  void setsEveryFlagTheUserLeftAtItsDefaultUnderG1() {
    FakeVm vm = new FakeVm();
    assertThat(HeapDefaults.apply(vm, true))
        .containsExactly(
            "MinHeapFreeRatio=10", "MaxHeapFreeRatio=30", "G1PeriodicGCInterval=30000");
    assertThat(vm.value("MinHeapFreeRatio")).isEqualTo("10");
    assertThat(vm.value("MaxHeapFreeRatio")).isEqualTo("30");
    assertThat(vm.value("G1PeriodicGCInterval")).isEqualTo("30000");
  }

  @Test
  void aFlagTheUserSetIsLeftAlone() {
    FakeVm vm =
        new FakeVm()
            .put("MaxHeapFreeRatio", "50", VMOption.Origin.VM_CREATION)
            .put("G1PeriodicGCInterval", "0", VMOption.Origin.ENVIRON_VAR);
    assertThat(HeapDefaults.apply(vm, true)).containsExactly("MinHeapFreeRatio=10");
    assertThat(vm.value("MaxHeapFreeRatio")).isEqualTo("50");
    assertThat(vm.value("G1PeriodicGCInterval")).isEqualTo("0");
  }

  @Test
  void aDefaultThatWouldContradictTheUsersRatioIsSkipped() {
    FakeVm vm = new FakeVm().put("MinHeapFreeRatio", "50", VMOption.Origin.VM_CREATION);
    assertThat(HeapDefaults.apply(vm, true)).containsExactly("G1PeriodicGCInterval=30000");
    assertThat(vm.value("MinHeapFreeRatio")).isEqualTo("50");
    assertThat(vm.value("MaxHeapFreeRatio")).isEqualTo("70");
  }

  @Test
  void anotherCollectorIsLeftAsTheUserChoseIt() {
    FakeVm vm = new FakeVm();
    assertThat(HeapDefaults.apply(vm, false)).isEmpty();
    assertThat(vm.value("MaxHeapFreeRatio")).isEqualTo("70");
  }

  @Test
  void aJvmWithoutTheFlagsStartsAnyway() {
    FakeVm vm = new FakeVm();
    vm.options.clear();
    assertThat(HeapDefaults.apply(vm, true)).isEmpty();
  }

  @Test
  void thisJvmCanSetEveryFlagAtRunTime() {
    HotSpotDiagnosticMXBean vm = ManagementFactory.getPlatformMXBean(HotSpotDiagnosticMXBean.class);
    for (String name : HeapDefaults.FLAGS.keySet()) {
      assertThat(vm.getVMOption(name).isWriteable()).as(name + " is manageable").isTrue();
    }
  }
}
