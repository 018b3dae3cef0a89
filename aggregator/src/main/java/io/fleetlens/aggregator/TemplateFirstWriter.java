package io.fleetlens.aggregator;

import java.util.List;
import java.util.function.BooleanSupplier;

import io.fleetlens.core.logs.LogRecord;
import io.fleetlens.core.logs.LogWriter;
import io.fleetlens.core.logs.StoreUnavailableException;
import io.fleetlens.core.logs.WriteOutcome;

/**
 * Makes sure the index template is in place before the first write, so no daily index is ever
 * created with Elasticsearch's guessed mappings; until it is, the store counts as unavailable.
 */
final class TemplateFirstWriter implements LogWriter {

  private final LogWriter delegate;
  private final BooleanSupplier installTemplate;

  TemplateFirstWriter(LogWriter delegate, BooleanSupplier installTemplate) {
    this.delegate = delegate;
    this.installTemplate = installTemplate;
  }

  @Override
  public List<WriteOutcome> write(List<LogRecord> records) throws StoreUnavailableException {
    if (!installTemplate.getAsBoolean()) {
      throw new StoreUnavailableException("the log index template is not installed yet", null);
    }
    return delegate.write(records);
  }

  @Override
  public boolean isAvailable() {
    return delegate.isAvailable();
  }
}
