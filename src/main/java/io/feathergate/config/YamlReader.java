package io.feathergate.config;

import java.util.ArrayList;
import java.util.ConcurrentModificationException;
import java.util.HashSet;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.constructor.SafeConstructor;
import org.yaml.snakeyaml.error.Mark;
import org.yaml.snakeyaml.error.MarkedYAMLException;
import org.yaml.snakeyaml.error.YAMLException;
import org.yaml.snakeyaml.nodes.MappingNode;
import org.yaml.snakeyaml.nodes.NodeTuple;
import org.yaml.snakeyaml.nodes.ScalarNode;
import org.yaml.snakeyaml.nodes.Tag;

/**
 * Reads YAML text into plain Java values: {@code Map<String, Object>}, {@code List<Object>} and
 * scalars. SnakeYAML speaks YAML 1.1 like LiteLLM's PyYAML, so {@code 80_000} is an int, {@code
 * True} a boolean, and {@code <<} merge keys work.
 */
final class YamlReader {
  /** Real configs reuse header and parameter blocks through aliases (issue #22878). */
  private static final int MAX_ALIASES = 1000;

  private YamlReader() {}

  /**
   * A parsed document.
   *
   * @param root the document's root, with every mapping key turned into a string; null for an empty
   *     document
   * @param duplicateKeys one line per key written twice in one mapping ({@code line 12: duplicate
   *     key 'model_list'; the last one wins}): PyYAML keeps the last value silently, and so does
   *     this reader, but a second {@code model_list:} is a mistake worth a warning
   */
  record Document(Object root, List<String> duplicateKeys) {}

  /**
   * Parses one YAML document.
   *
   * @throws ConfigException when the text is not valid YAML; the message gives the position and
   *     SnakeYAML's problem but never a snippet of the text, which may hold secrets
   */
  static Document read(String text, String sourceName) {
    LoaderOptions options = new LoaderOptions();
    options.setMaxAliasesForCollections(MAX_ALIASES);
    options.setWarnOnDuplicateKeys(false); // reported through Document instead of a log line
    DuplicateKeyRecorder constructor = new DuplicateKeyRecorder(options);
    Yaml yaml = new Yaml(constructor);
    Object root;
    try {
      root = yaml.load(stripByteOrderMark(text));
    } catch (MarkedYAMLException e) {
      throw new ConfigException(sourceName + ": not valid YAML" + describe(e));
    } catch (YAMLException e) {
      // unmarked problems are limits (aliases, size): SnakeYAML's text holds no content
      throw new ConfigException(sourceName + ": not valid YAML: " + e.getMessage());
    } catch (IllegalArgumentException e) {
      // what SnakeYAML's constructors throw past their own exceptions (found by fuzzing: a YAML 1.1
      // integer too large to hold, a tag with spaces around it); their messages quote the text
      throw new ConfigException(sourceName + ": not valid YAML: a value or tag it cannot read");
    } catch (ConcurrentModificationException e) {
      // SnakeYAML 2.x merging a mapping into itself more than once (found by fuzzing)
      throw new ConfigException(
          sourceName + ": not valid YAML: a mapping merges itself ('<<' with an alias of its own)");
    } catch (StackOverflowError e) {
      // SnakeYAML hashing a mapping key ('? ...') that holds a mapping containing itself, through
      // an alias (found by fuzzing): the hash never ends. The stack unwinds to here: the text is
      // this call's own, nothing else was half-built
      throw new ConfigException(
          sourceName + ": not valid YAML: a mapping key that contains itself (through an alias)");
    }
    return new Document(
        normalize(root, new IdentityHashMap<>(), new IdentityHashMap<>(), sourceName),
        List.copyOf(constructor.duplicates));
  }

  /**
   * SafeConstructor builds only standard YAML types, so no tag can instantiate a Java class; this
   * subclass also notes keys that a mapping repeats.
   */
  private static final class DuplicateKeyRecorder extends SafeConstructor {
    private final Set<String> duplicates = new LinkedHashSet<>();

    DuplicateKeyRecorder(LoaderOptions options) {
      super(options);
    }

    @Override
    protected void processDuplicateKeys(MappingNode node, boolean forceStringKeys) {
      Set<String> seen = new HashSet<>();
      for (NodeTuple tuple : node.getValue()) {
        if (tuple.getKeyNode() instanceof ScalarNode key
            && !Tag.MERGE.equals(key.getTag())
            && !seen.add(key.getValue())) {
          duplicates.add(
              "line "
                  + (key.getStartMark().getLine() + 1)
                  + ": duplicate key '"
                  + key.getValue()
                  + "'; the last one wins");
        }
      }
      super.processDuplicateKeys(node, forceStringKeys);
    }
  }

  private static String stripByteOrderMark(String text) {
    return text.startsWith("\uFEFF") ? text.substring(1) : text;
  }

  /** Position and problem only: {@code getMessage()} would quote the offending line. */
  private static String describe(MarkedYAMLException e) {
    StringBuilder message = new StringBuilder();
    Mark mark = e.getProblemMark() != null ? e.getProblemMark() : e.getContextMark();
    if (mark != null) {
      message
          .append(" at line ")
          .append(mark.getLine() + 1)
          .append(", column ")
          .append(mark.getColumn() + 1);
    }
    String problem = e.getProblem();
    if (problem != null && problem.contains("unacceptable key")) {
      // SnakeYAML prints the whole key there, and a key can be a mapping full of values
      problem = "found a list or mapping used as a key";
    }
    if (problem != null) {
      message.append(": ").append(problem);
    }
    if (e.getContext() != null) {
      message.append(" (").append(e.getContext()).append(')');
    }
    return message.toString();
  }

  /**
   * Turns mapping keys into strings (YAML allows {@code 1:} or {@code true:} as keys) so every
   * later step can rely on string keys. An aliased node is converted once and shared, as PyYAML
   * shares it; a node that contains itself is refused, as nothing later could walk it.
   */
  private static Object normalize(
      Object node, Map<Object, Object> done, Map<Object, Boolean> inProgress, String sourceName) {
    if (!(node instanceof Map<?, ?>) && !(node instanceof List<?>)) {
      return node;
    }
    Object converted = done.get(node);
    if (converted != null) {
      return converted;
    }
    if (inProgress.put(node, Boolean.TRUE) != null) {
      throw new ConfigException(sourceName + ": not usable: an anchor refers to itself");
    }
    if (node instanceof Map<?, ?> map) {
      Map<String, Object> copy = new LinkedHashMap<>();
      for (Map.Entry<?, ?> entry : map.entrySet()) {
        if (entry.getKey() instanceof Map<?, ?> || entry.getKey() instanceof List<?>) {
          // PyYAML refuses these too (unhashable); found by fuzzing, as a key holding itself,
          // whose text never ended
          throw new ConfigException(
              sourceName + ": not usable: a mapping key that is a mapping or a list ('? ...')");
        }
        copy.put(
            String.valueOf(entry.getKey()),
            normalize(entry.getValue(), done, inProgress, sourceName));
      }
      converted = copy;
    } else {
      List<Object> copy = new ArrayList<>();
      for (Object item : (List<?>) node) {
        copy.add(normalize(item, done, inProgress, sourceName));
      }
      converted = copy;
    }
    inProgress.remove(node);
    done.put(node, converted);
    return converted;
  }
}
