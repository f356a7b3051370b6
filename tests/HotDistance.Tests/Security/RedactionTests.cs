using HotDistance.Core.Security;

namespace HotDistance.Tests.Security;

public sealed class RedactionTests
{
    [Theory]
    [InlineData("amqp://hd:s3cret@broker:5672/", "amqp://hd:***@broker:5672/")]
    [InlineData("http://alice:s3cret@mlflow:5000/prefix", "http://alice:***@mlflow:5000/prefix")]
    [InlineData("postgres://hd:s3cret@db/x", "postgres://hd:***@db/x")]
    [InlineData("amqp://hd:s3@cret@broker/", "amqp://hd:***@broker/")]
    [InlineData("amqp://:s3cret@broker/", "amqp://:***@broker/")]
    [InlineData("Host=db;Password=s3cret;Database=x", "Host=db;Password=***;Database=x")]
    [InlineData("Server=db;pwd = s3cret", "Server=db;pwd = ***")]
    [InlineData("HD_RABBITMQ='amqp://hd:s3cret@broker/' and MLflow at http://u:s3cret@m/ failed", "HD_RABBITMQ='amqp://hd:***@broker/' and MLflow at http://u:***@m/ failed")]
    public void Every_password_in_a_text_is_masked_and_the_rest_kept(string text, string expected)
    {
        Assert.Equal(expected, Redaction.Text(text));
    }

    [Theory]
    [InlineData("amqp://broker:5672/")]
    [InlineData("http://alice@mlflow:5000/")]
    [InlineData("the crop at /data/a:b@c.zarr is fine")]
    [InlineData("")]
    public void Text_without_a_password_is_left_as_it_is(string text)
    {
        Assert.Equal(text, Redaction.Text(text));
    }

    [Fact]
    public void A_uri_is_shown_as_given_without_its_password()
    {
        Assert.Equal("amqp://hd:***@broker:5672/", Redaction.Uri(new Uri("amqp://hd:s3cret@broker:5672/")));
    }
}
