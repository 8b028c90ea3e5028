package io.feathergate.launcher;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.management.HotSpotDiagnosticMXBean;
import com.sun.management.VMOption;
import java.lang.management.ManagementFactory;
import javax.management.MBeanServerFactory;
import org.junit.jupiter.api.Test;

class NativeHeapTrimTest {
  @Test
  void trimsThisJvmsCHeapAndReportsTheResidentSize() throws Exception {
    NativeHeapTrim trim = NativeHeapTrim.available(ManagementFactory.getPlatformMBeanServer());
    assertThat(trim).isNotNull();
    // glibc, as on every machine the tests run on: the JVM's own report, sizes before and after
    assertThat(trim.trim()).startsWith("Trim native heap:").contains("->");
  }

  @Test
  void aServerWithoutTheJvmsDiagnosticCommandsHasNoTrim() {
    assertThat(NativeHeapTrim.available(MBeanServerFactory.newMBeanServer())).isNull();
  }

  @Test
  void wantedUnlessTheUserHasTheJvmTrimByItself() {
    // the test JVM runs without -XX:TrimNativeHeapInterval
    assertThat(
            NativeHeapTrim.wanted(
                ManagementFactory.getPlatformMXBean(HotSpotDiagnosticMXBean.class)))
        .isTrue();
    HeapDefaultsTest.FakeVm trimming =
        new HeapDefaultsTest.FakeVm()
            .put("TrimNativeHeapInterval", "60000", VMOption.Origin.VM_CREATION);
    assertThat(NativeHeapTrim.wanted(trimming)).isFalse();
    // a JVM older than the flag may still have the command
    assertThat(NativeHeapTrim.wanted(new HeapDefaultsTest.FakeVm())).isTrue();
  }
}
