package io.fleetlens.query;

import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.function.Function;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import co.elastic.clients.elasticsearch.ElasticsearchClient;

import io.fleetlens.access.AccessStore;
import io.fleetlens.alerting.Alerting;
import io.fleetlens.core.access.Scope;
import io.fleetlens.alerting.evaluation.GroupEvaluator;
import io.fleetlens.alerting.notify.RetryPolicy;
import io.fleetlens.alerting.rules.InvalidRuleException;
import io.fleetlens.alerting.rules.RuleGroup;
import io.fleetlens.alerting.rules.RuleGroupParser;
import io.fleetlens.alerting.store.AlertingStore;
import io.fleetlens.core.logs.StoreUnavailableException;
import io.fleetlens.core.logs.WriteOutcome;
import io.fleetlens.core.logs.ScopedLogStore;
import io.fleetlens.core.metrics.SampleSink;
import io.fleetlens.core.metrics.ScopedSeriesStore;
import io.fleetlens.core.metrics.SeriesStore;
import io.fleetlens.promql.eval.Engine;
import io.fleetlens.storage.elasticsearch.metrics.ElasticsearchSampleWriter;
import io.fleetlens.storage.elasticsearch.metrics.MetricIndices;
import io.fleetlens.runtime.AppLauncher;
import io.fleetlens.runtime.CommandLine;
import io.fleetlens.runtime.AppHttpServer;
import io.fleetlens.runtime.InstanceName;
import io.fleetlens.runtime.Metrics;
import io.fleetlens.runtime.Readiness;
import io.fleetlens.storage.elasticsearch.ElasticsearchClients;
import io.fleetlens.storage.elasticsearch.ElasticsearchLogStore;
import io.fleetlens.storage.elasticsearch.LogIndexLayout;
import io.fleetlens.pricing.PricingStore;
import io.fleetlens.query.allocation.CostAllocation;
import io.fleetlens.query.allocation.Recommendations;
import io.fleetlens.query.allocation.StoredUsage;
import io.fleetlens.query.golden.FleetSignals;
import io.fleetlens.query.golden.GoldenSignals;
import io.fleetlens.storage.elasticsearch.metrics.ElasticsearchSeriesStore;
import io.fleetlens.storage.elasticsearch.metrics.MetricIndexLayout;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.vertx.ext.web.Router;
import io.fleetlens.query.access.AccessApi;
import io.fleetlens.query.access.AccessGuard;
import io.fleetlens.query.access.AuditTrail;
import io.fleetlens.query.alerting.AlertRoutingApi;
import io.fleetlens.query.alerting.PrometheusRulesApi;
import io.fleetlens.query.alerting.RuleGroupsApi;
import io.fleetlens.query.cost.AllocationApi;
import io.fleetlens.query.cost.PricingApi;
import io.fleetlens.query.cost.RecommendationsApi;
import io.fleetlens.query.cost.ShowbackApi;
import io.fleetlens.query.golden.GoldenSignalsApi;
import io.fleetlens.query.http.ApiErrors;
import io.fleetlens.query.http.RequestLimits;
import io.fleetlens.query.http.RequestMetrics;
import io.fleetlens.query.logs.LogRuleFilters;
import io.fleetlens.query.logs.LogsApi;
import io.fleetlens.query.loki.LokiApi;
import io.fleetlens.logql.eval.LogqlEngine;
import io.fleetlens.query.prometheus.PrometheusApi;

/** Runs the query API: {@code java -jar fleetlens-query-api.jar [--config query-api.yaml]}. */
public final class QueryApiMain implements AutoCloseable {

  private static final Logger LOG = LoggerFactory.getLogger(QueryApiMain.class);

  private final ElasticsearchClient client;
  private final AppHttpServer http;
  private final PricingStore pricing;
  private final AlertingStore alertingStore;
  private final AccessStore access;
  private final Alerting alerting;
  private final LokiApi loki;

  /**
   * Opens the databases, mounts every route, then listens and starts evaluating rules: a request
   * never meets a half-mounted router.
   */
  public QueryApiMain(QueryApiConfig config) {
    PrometheusMeterRegistry registry = Metrics.registry("query-api");
    client = ElasticsearchClients.create(config.elasticsearch().settings(), config.elasticsearch().security());
    ElasticsearchLogStore logs = new ElasticsearchLogStore(client, new LogIndexLayout(config.elasticsearch().indexPrefix()));
    QueryApiConfig.Promql promql = config.promql();
    ElasticsearchSeriesStore series = new ElasticsearchSeriesStore(client,
        new MetricIndexLayout(config.elasticsearch().indexPrefix()), promql.maxSeries(), promql.chunkCacheBytes());
    http = new AppHttpServer(new Readiness().check("elasticsearch", logs::isAvailable), registry);
    QueryApiConfig.Database db = config.database();
    access = AccessStore.open(db.jdbcUrl(), db.user(), db.password(), Clock.systemUTC());
    pricing = PricingStore.open(db.jdbcUrl(), db.user(), db.password(), Clock.systemUTC());
    alertingStore = AlertingStore.open(db.jdbcUrl(), db.user(), db.password());
    bootstrapAdmin(config.auth());

    Router router = http.router();
    RequestLimits limits = new RequestLimits(config.limits(), registry);
    guard(router, config.auth(), limits, registry);
    Engine.Options engineOptions = new Engine.Options(promql.lookbackMs(), promql.maxSamples(),
        Duration.ofMillis(promql.timeoutMs()), 60_000);
    Engine engine = new Engine(series, engineOptions);
    Function<Scope, SeriesStore> stores = scope -> ScopedSeriesStore.of(series, scope);
    Function<Scope, Engine> engines = scope -> scope.isAll() ? engine : new Engine(stores.apply(scope), engineOptions);
    new AccessApi(access).mount(router);
    new LogsApi(scope -> ScopedLogStore.of(logs, scope), Clock.systemUTC()).mount(router);
    new PrometheusApi(engines, stores, limits, Clock.systemUTC()).mount(router);
    loki = new LokiApi(scope -> ScopedLogStore.of(logs, scope), LogqlEngine.Options.defaults(), limits,
        Clock.systemUTC());
    loki.mount(router);
    mountCost(router, engine);
    new GoldenSignalsApi(scope -> new GoldenSignals(engines.apply(scope)),
        scope -> new FleetSignals(engines.apply(scope)), Clock.systemUTC()).mount(router);
    int port = portToListenOn(config.http());
    alerting = alerting(config, engines, logs, registry, port);
    RuleGroupParser parser = parser(config.alerting());
    new RuleGroupsApi(alertingStore, parser, alerting, access, Clock.systemUTC()).mount(router);
    new AlertRoutingApi(alertingStore).mount(router);
    new PrometheusRulesApi(alertingStore, alerting).mount(router);
    mountErrors(router, limits);
    loadRuleFiles(config.alerting(), parser);

    http.listen(config.http().host(), port, config.http().tls());
    if (config.alerting().enabled()) {
      alerting.start();
    }
  }

  /** What every request passes first: its metrics, the access check, the limits, the audit trail. */
  private void guard(Router router, QueryApiConfig.Auth auth, RequestLimits limits, PrometheusMeterRegistry registry) {
    router.route().order(-1).handler(new RequestMetrics(registry));
    if (auth.enabled()) {
      router.route().order(-1).handler(new AccessGuard(access));
      if (access.live().isEmpty()) {
        LOG.warn("access control is on and no token exists yet: set auth.bootstrap-admin-token-file, or create one"
            + " with io.fleetlens.query.TokensCli");
      }
    } else {
      LOG.warn("access control is off (auth.enabled: false): every /api/ and /loki/ request is served, to anyone");
    }
    router.route().order(-1).handler(limits);
    router.route().order(-1).handler(new AuditTrail(access));
  }

  private void mountCost(Router router, Engine engine) {
    new PricingApi(pricing).mount(router);
    Function<Scope, CostAllocation> allocation = scope -> new CostAllocation(new StoredUsage(engine),
        () -> pricing.priceSheets().live(), scope);
    new AllocationApi(allocation, Clock.systemUTC()).mount(router);
    new ShowbackApi(allocation, Clock.systemUTC()).mount(router);
    new RecommendationsApi(scope -> new Recommendations(engine, scope), pricing, Clock.systemUTC()).mount(router);
  }

  /** Unknown paths, bodies over a route's size and refused requests as JSON; anything else a logged 500. */
  private static void mountErrors(Router router, RequestLimits limits) {
    router.route().last().handler(ApiErrors::notFound);
    router.route().failureHandler(ctx -> {
      if (ctx.failure() == null && ctx.statusCode() == 413) {
        limits.count("body_size");
        RequestLimits.send(ctx, new RequestLimits.Exceeded(413, "body_size", "the body is larger than "
            + ctx.request().path() + " takes"));
        return;
      }
      if (ctx.failure() == null && ctx.statusCode() >= 400 && ctx.statusCode() < 500) {
        ApiErrors.send(ctx, ctx.statusCode(), new io.vertx.core.json.JsonObject().put("error", "bad_request")
            .put("message", "the request was refused (" + ctx.statusCode() + ")"));
        return;
      }
      LOG.error("request {} failed", ctx.request().path(), ctx.failure());
      ApiErrors.internal(ctx);
    });
  }

  /**
   * The configured port; for port 0 (any free port), one chosen now, so that the rules' external
   * URL can name it before the server listens.
   */
  private static int portToListenOn(QueryApiConfig.Http http) {
    if (http.port() != 0) {
      return http.port();
    }
    try (java.net.ServerSocket socket = new java.net.ServerSocket(0, 1, java.net.InetAddress.getByName(http.host()))) {
      return socket.getLocalPort();
    } catch (java.io.IOException e) {
      throw new IllegalStateException("no free port on " + http.host() + ": " + e.getMessage(), e);
    }
  }

  /** The operator's first admin token, from a file (a mounted Secret), so tokens can be made through the API. */
  private void bootstrapAdmin(QueryApiConfig.Auth auth) {
    if (auth.bootstrapAdminTokenFile().isEmpty()) {
      return;
    }
    try {
      access.ensureAdmin("bootstrap-admin", java.nio.file.Files.readString(
          java.nio.file.Path.of(auth.bootstrapAdminTokenFile())).strip());
    } catch (java.io.IOException e) {
      throw new IllegalArgumentException("auth.bootstrap-admin-token-file: cannot read "
          + auth.bootstrapAdminTokenFile() + ": " + e.getMessage(), e);
    }
  }

  private static RuleGroupParser parser(QueryApiConfig.Alerting settings) {
    return new RuleGroupParser(settings.defaultIntervalMs(), LogRuleFilters::problem);
  }

  private Alerting alerting(QueryApiConfig config, Function<Scope, Engine> engines, ElasticsearchLogStore logs,
      PrometheusMeterRegistry registry, int port) {
    QueryApiConfig.Alerting settings = config.alerting();
    MetricIndexLayout layout = new MetricIndexLayout(config.elasticsearch().indexPrefix());
    ElasticsearchSampleWriter writer = ElasticsearchSampleWriter.visibleOnReturn(client, layout,
        MetricIndices.installedByAggregator(client, layout));
    SampleSink output = samples -> {
      try {
        List<WriteOutcome> outcomes = writer.write(samples);
        long failed = outcomes.stream().filter(o -> o instanceof WriteOutcome.Retry || o instanceof WriteOutcome.Rejected)
            .count();
        if (failed > 0) {
          throw new IllegalStateException(failed + " of " + samples.size() + " rule samples not written");
        }
      } catch (StoreUnavailableException e) {
        throw new IllegalStateException(e.getMessage(), e);
      }
    };
    String externalUrl = settings.externalUrl().isEmpty()
        ? "http://" + InstanceName.host() + ":" + port : settings.externalUrl();
    GroupEvaluator evaluator = new GroupEvaluator(engines,
        (scope, filters, from, to) -> LogRuleFilters.count(ScopedLogStore.of(logs, scope), filters, from, to),
        settings.externalLabels(), externalUrl,
        settings.resolvedRetentionMs());
    return new Alerting(alertingStore, parser(settings), evaluator, output, new Alerting.Settings(settings.tickMs(),
        settings.leaseMs(), settings.instance().isEmpty() ? InstanceName.of() : settings.instance(),
        settings.resolvedRetentionMs(), settings.deliveryPaused(),
        new RetryPolicy(settings.retryInitialMs(), settings.retryMaxMs(), settings.maxAttempts()),
        settings.externalLabels(), externalUrl), Clock.systemUTC(), registry);
  }

  /** Prometheus rule files named in the configuration go into the database at start, replacing groups of the same name. */
  private void loadRuleFiles(QueryApiConfig.Alerting settings, RuleGroupParser parser) {
    for (String file : settings.ruleFiles()) {
      String text;
      try {
        text = java.nio.file.Files.readString(java.nio.file.Path.of(file));
      } catch (java.io.IOException e) {
        throw new IllegalArgumentException("alerting.rule-files: cannot read " + file + ": " + e.getMessage(), e);
      }
      try {
        for (RuleGroup group : parser.parseFile(text)) {
          if (alertingStore.group(group.name()).filter(g -> !g.owner().isAll()).isPresent()) {
            LOG.error("rule file {}: group {} is not loaded: a team's group of that name exists; rename one of them",
                file, group.name());
            continue;
          }
          alertingStore.saveGroup(group.name(), group.source(), Scope.ALL, System.currentTimeMillis());
        }
      } catch (InvalidRuleException e) {
        throw new IllegalArgumentException("alerting.rule-files: " + file + ": " + e.getMessage(), e);
      }
      LOG.info("loaded rule file {}", file);
    }
  }

  /** Alerting, for tests that step its evaluation and delivery by hand. */
  public Alerting alerting() {
    return alerting;
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
    alerting.close();
    loki.close();
    http.close();
    client.close();
    pricing.close();
    alertingStore.close();
    access.close();
  }
}
