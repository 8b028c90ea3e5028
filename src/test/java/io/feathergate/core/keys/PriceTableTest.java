package io.feathergate.core.keys;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.data.Offset.offset;

import io.feathergate.core.Deployment;
import io.feathergate.core.Deployment.PricedAs;
import io.feathergate.core.TokenPrices;
import io.feathergate.core.spi.TokenUsage;
import org.junit.jupiter.api.Test;

class PriceTableTest {
  private final PriceTable table = PriceTable.shipped();

  private static Deployment deployment(String provider, String model) {
    return Deployment.builder("d", "group", provider, model).build();
  }

  @Test
  void theShippedTableKnowsTheCommonModelsOfEveryProvider() {
    assertThat(table.prices(deployment("openai", "gpt-4o-mini")).input()).isEqualTo(1.5e-7);
    assertThat(table.prices(deployment("openai", "gpt-4o-2024-08-06")).output()).isEqualTo(1e-5);
    assertThat(table.prices(deployment("anthropic", "claude-sonnet-4-5")).cacheRead())
        .isEqualTo(3e-7);
    assertThat(table.prices(deployment("gemini", "gemini-2.5-flash")).known()).isTrue();
    assertThat(
            table
                .prices(deployment("bedrock", "us.anthropic.claude-sonnet-4-5-20250929-v1:0"))
                .input())
        .isEqualTo(3e-6);
    assertThat(table.prices(deployment("vertex_ai", "claude-sonnet-4-5@20250929")).input())
        .isEqualTo(3e-6);
    assertThat(table.prices(deployment("openai", "text-embedding-3-small")).input())
        .isEqualTo(2e-8);
    assertThat(table.prices(deployment("openai", "my-own-finetune")).known()).isFalse();
  }

  @Test
  void aDeploymentsOwnPricesAndBaseModelWin() {
    Deployment azure =
        Deployment.builder("d", "g", "azure", "my-deployment")
            .prices(new PricedAs("azure/gpt-4o", new TokenPrices(null, 2e-5, null, null, null)))
            .build();
    TokenPrices prices = table.prices(azure);
    assertThat(prices.input()).isEqualTo(2.5e-6);
    assertThat(prices.output()).isEqualTo(2e-5);
  }

  @Test
  void cachedReasoningAndPlainTokensArePricedApart() {
    TokenPrices prices = new TokenPrices(1.0, 2.0, 0.1, 1.25, 3.0);
    TokenUsage usage = new TokenUsage(100, 50, 150, 20, 10, 5);
    // 70 plain input + 20 cached + 10 written, 45 plain output + 5 reasoning
    assertThat(PriceTable.cost(prices, usage))
        .isCloseTo(70 * 1.0 + 20 * 0.1 + 10 * 1.25 + 45 * 2.0 + 5 * 3.0, offset(1e-9));
    // without cache or reasoning prices, those tokens cost what plain ones do
    assertThat(PriceTable.cost(new TokenPrices(1.0, 2.0, null, null, null), usage))
        .isCloseTo(100 + 100, offset(1e-9));
    assertThat(PriceTable.cost(prices, null)).isZero();
    assertThat(PriceTable.cost(TokenPrices.NONE, usage)).isZero();
    assertThat(table.cost((Deployment) null, usage)).isZero();
  }
}
