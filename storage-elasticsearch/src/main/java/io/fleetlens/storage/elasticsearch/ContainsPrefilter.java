package io.fleetlens.storage.elasticsearch;

import java.io.IOException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import co.elastic.clients.elasticsearch.ElasticsearchClient;
import co.elastic.clients.elasticsearch._types.ElasticsearchException;
import co.elastic.clients.elasticsearch._types.query_dsl.Query;
import co.elastic.clients.elasticsearch.indices.analyze.AnalyzeToken;

import io.fleetlens.core.logs.StoreUnavailableException;

/**
 * What the index can tell of "the message contains this exact text": {@code message} is analysed
 * text (the standard analyzer: Unicode word boundaries, lower case), so a substring is no query of
 * its own, but every message that holds it also holds the words of it that stand whole, between
 * spaces or marks that always end a word, and a word that begins with the substring's last word
 * when that one stands after such a mark. This builds that query: never missing a line that holds
 * the text, letting through some that do not, which the store then drops by checking each.
 * Words at an edge that may continue a longer word of the message, and words joined by marks that
 * can join words ({@code .}, {@code ,}, {@code :}, {@code '}, {@code _}), are left out.
 */
final class ContainsPrefilter {

  /** Marks after or before which a word always ends, whatever stands on their other side. */
  private static final String ALWAYS_ENDS_A_WORD = "()[]{}<>/\\|=&!?*+#%^~-@$`";
  /** The standard tokenizer cuts words longer than this. */
  private static final int MAX_TOKEN_LENGTH = 255;

  private final ElasticsearchClient client;
  private final Map<String, Optional<Query>> cache = Collections.synchronizedMap(
      new LinkedHashMap<>(64, 0.75f, true) {
        private static final long serialVersionUID = 1L;

        @Override
        protected boolean removeEldestEntry(Map.Entry<String, Optional<Query>> eldest) {
          return size() > 1_000;
        }
      });

  ContainsPrefilter(ElasticsearchClient client) {
    this.client = client;
  }

  /** A query every message containing {@code text} matches, or empty when its words say nothing. */
  Optional<Query> of(String text) throws StoreUnavailableException {
    Optional<Query> known = cache.get(text);
    if (known != null) {
      return known;
    }
    List<AnalyzeToken> tokens;
    try {
      tokens = client.indices().analyze(a -> a.analyzer("standard").text(text)).tokens();
    } catch (IOException | ElasticsearchException e) {
      throw new StoreUnavailableException("analyzing a line filter failed: " + e.getMessage(), e);
    }
    List<Query> words = new ArrayList<>();
    for (AnalyzeToken token : tokens) {
      int start = (int) token.startOffset();
      int end = (int) token.endOffset();
      if (token.token().length() >= MAX_TOKEN_LENGTH || start == 0 || !endsAWord(text.charAt(start - 1))) {
        continue; // may be the end of a longer word of the message
      }
      String word = token.token();
      if (end < text.length() && endsAWord(text.charAt(end))) {
        words.add(Query.of(q -> q.term(t -> t.field("message").value(word))));
      } else if (end == text.length()) {
        words.add(Query.of(q -> q.prefix(p -> p.field("message").value(word))));
      }
    }
    Optional<Query> query = words.isEmpty() ? Optional.empty()
        : Optional.of(Query.of(q -> q.bool(b -> b.filter(words))));
    cache.put(text, query);
    return query;
  }

  private static boolean endsAWord(char c) {
    return Character.isWhitespace(c) || ALWAYS_ENDS_A_WORD.indexOf(c) >= 0;
  }
}
