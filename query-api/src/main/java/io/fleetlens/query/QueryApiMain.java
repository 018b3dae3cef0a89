package io.fleetlens.query;

import java.time.Clock;
import java.time.Duration;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import co.elastic.clients.elasticsearch.ElasticsearchClient;

import io.fleetlens.promql.eval.Engine;
import io.fleetlens.runtime.AppLauncher;
import io.fleetlens.runtime.CommandLine;
import io.fleetlens.runtime.AppHttpServer;
import io.fleetlens.runtime.Metrics;
import io.fleetlens.runtime.Readiness;
import io.fleetlens.storage.elasticsearch.ElasticsearchClients;
import io.fleetlens.storage.elasticsearch.ElasticsearchLogStore;
import io.fleetlens.storage.elasticsearch.LogIndexLayout;
import io.fleetlens.pricing.PricingStore;
import io.fleetlens.query.allocation.CostAllocation;
import io.fleetlens.query.allocation.StoredUsage;
import io.fleetlens.query.golden.FleetSignals;
import io.fleetlens.query.golden.GoldenSignals;
import io.fleetlens.storage.elasticsearch.metrics.ElasticsearchMetadataStore;
import io.fleetlens.storage.elasticsearch.metrics.ElasticsearchSeriesStore;
import io.fleetlens.storage.elasticsearch.metrics.MetricIndexLayout;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.vertx.ext.web.Router;

/** Runs the query API: {@code java -jar fleetlens-query-api.jar [--config query-api.yaml]}. */
public final class QueryApiMain implements AutoCloseable {

  private static final Logger LOG = LoggerFactory.getLogger(QueryApiMain.class);

  private final ElasticsearchClient client;
  private final AppHttpServer http;
  private final PricingStore pricing;

  public QueryApiMain(QueryApiConfig config) {
    PrometheusMeterRegistry registry = Metrics.registry("query-api");
    client = ElasticsearchClients.create(config.elasticsearch().settings());
    ElasticsearchLogStore logs = new ElasticsearchLogStore(client, new LogIndexLayout(config.elasticsearch().indexPrefix()));
    http = new AppHttpServer(new Readiness().check("elasticsearch", logs::isAvailable), registry);
    Router router = http.router();
    router.route().order(-1).handler(new RequestMetrics(registry));
    new LogsApi(logs, Clock.systemUTC()).mount(router);
    QueryApiConfig.Promql promql = config.promql();
    MetricIndexLayout metricLayout = new MetricIndexLayout(config.elasticsearch().indexPrefix());
    ElasticsearchSeriesStore series = new ElasticsearchSeriesStore(client, metricLayout, promql.maxSeries());
    Engine engine = new Engine(series, new Engine.Options(promql.lookbackMs(), promql.maxSamples(),
        Duration.ofMillis(promql.timeoutMs()), 60_000));
    new PrometheusApi(engine, series, new ElasticsearchMetadataStore(client, metricLayout), Clock.systemUTC())
        .mount(router);
    QueryApiConfig.Pricing prices = config.pricing();
    pricing = PricingStore.open(prices.jdbcUrl(), prices.user(), prices.password(), Clock.systemUTC());
    new PricingApi(pricing).mount(router);
    CostAllocation allocation = new CostAllocation(new StoredUsage(engine), () -> pricing.priceSheets().live());
    new AllocationApi(allocation, Clock.systemUTC()).mount(router);
    new ShowbackApi(allocation, Clock.systemUTC()).mount(router);
    new RecommendationsApi(new io.fleetlens.query.allocation.Recommendations(engine), pricing, Clock.systemUTC())
        .mount(router);
    new GoldenSignalsApi(new GoldenSignals(engine), new FleetSignals(engine), Clock.systemUTC()).mount(router);
    router.route().last().handler(ApiErrors::notFound);
    router.route().failureHandler(ctx -> {
      LOG.error("request {} failed", ctx.request().path(), ctx.failure());
      ApiErrors.internal(ctx);
    });
    http.listen(config.http().host(), config.http().port());
  }

  public int httpPort() {
    return http.port();
  }

  public static void main(String[] args) throws Exception {
    AppLauncher.runUntilShutdown("query-api", () -> {
      QueryApiMain main = new QueryApiMain(QueryApiConfig.load(CommandLine.configFile(args), System.getenv()));
      LOG.info("query-api listening on port {}", main.httpPort());
      return main;
    });
  }

  @Override
  public void close() throws Exception {
    http.close();
    client.close();
    pricing.close();
  }
}
