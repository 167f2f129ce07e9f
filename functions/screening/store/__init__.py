"""The only code that talks to DynamoDB: item layout, conditional writes, the review queue and its cursors."""
